import { bytesToHex } from "@noble/hashes/utils.js";
import { describe, expect, it } from "vitest";
import {
  decodeBase58Check,
  decodeSegwitAddress,
  eip55,
  validateWithdrawalAddress,
  type WithdrawalCoin,
} from "./addresses";

function scriptPubKey(version: number, program: Uint8Array): string {
  const op = version === 0 ? "00" : (0x50 + version).toString(16);
  return `${op}${program.length.toString(16).padStart(2, "0")}${bytesToHex(program)}`;
}

function accepted(coin: WithdrawalCoin, address: string) {
  const result = validateWithdrawalAddress(coin, address);
  if (!result.ok) throw new Error(`${coin} ${address} refused: ${result.message}`);
  return result;
}

function refusal(coin: WithdrawalCoin, address: string): string {
  const result = validateWithdrawalAddress(coin, address);
  if (result.ok) throw new Error(`${coin} ${address} was accepted as ${result.format}`);
  return result.message;
}

/** The address with the character at `index` replaced by another one of `alphabet`. */
function corrupt(address: string, index: number, alphabet: string): string {
  const ch = address[index]!;
  const pool = alphabet.includes(ch) ? alphabet : alphabet.toUpperCase();
  const next = pool[(pool.indexOf(ch) + 1) % pool.length]!;
  return address.slice(0, index) + next + address.slice(index + 1);
}
const BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";

describe("BIP-350 test vectors (segwit addresses)", () => {
  const valid: [string, string][] = [
    ["BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"],
    [
      "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
      "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
    ],
    [
      "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
      "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6",
    ],
    ["BC1SW50QGDZ25J", "6002751e"],
    ["bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"],
    [
      "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
      "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
    ],
    [
      "tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c",
      "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
    ],
    [
      "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0",
      "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
    ],
  ];
  it.each(valid)("decodes %s to its scriptPubKey", (address, spk) => {
    const decoded = decodeSegwitAddress(address);
    if (!decoded.ok) throw new Error(decoded.message);
    expect(scriptPubKey(decoded.version, decoded.program)).toBe(spk);
    expect(decoded.encoding).toBe(decoded.version === 0 ? "bech32" : "bech32m");
  });

  const invalid: [string, RegExp][] = [
    ["bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd", /^bech32 used for a v1 program \(needs bech32m/],
    ["tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf", /^bech32 used for a v2 program \(needs bech32m/],
    [
      "BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
      /^bech32 used for a v16 program \(needs bech32m/,
    ],
    ["bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", /^bech32m used for a v0 program \(needs bech32\)/],
    [
      "tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
      /^bech32m used for a v0 program \(needs bech32\)/,
    ],
    ["bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", /^“o” cannot appear after the “1”/],
    ["BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", /^Invalid witness version 17/],
    ["bc1pw5dgrnzv", /^Invalid witness program length: 1 bytes/],
    [
      "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav",
      /^Invalid witness program length: 41 bytes/,
    ],
    ["BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", /^Invalid witness v0 program length: 16 bytes/],
    ["tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", /^Mixed case/],
    ["bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", /^Invalid padding/],
    ["tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", /^Invalid padding/],
    ["bc1gmk9yu", /^Empty data/],
  ];
  it.each(invalid)("refuses %s: %s", (address, reason) => {
    const decoded = decodeSegwitAddress(address);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.message).toMatch(reason);
  });

  it("refuses the invalid human-readable part tc1 for BTC", () => {
    expect(refusal("BTC", "tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut")).toMatch(
      /^Wrong prefix for BTC: “tc1” is not a Bitcoin prefix/,
    );
  });
});

describe("BIP-173 test vectors", () => {
  it("decodes its v0 addresses", () => {
    for (const [address, spk] of [
      ["BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"],
      [
        "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
        "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262",
      ],
      [
        "tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy",
        "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433",
      ],
    ] as const) {
      const decoded = decodeSegwitAddress(address);
      expect(decoded.ok && scriptPubKey(decoded.version, decoded.program)).toBe(spk);
    }
  });

  it("refuses its v1+ addresses, valid under BIP-173 but superseded by BIP-350 (bech32 checksum)", () => {
    for (const [address, version] of [
      ["bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx", 1],
      ["BC1SW50QA3JX3S", 16],
      ["bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj", 2],
    ] as const) {
      const decoded = decodeSegwitAddress(address);
      expect(decoded.ok ? "accepted" : decoded.message).toMatch(
        new RegExp(`^bech32 used for a v${version} program \\(needs bech32m`),
      );
    }
  });

  const invalid: [string, RegExp][] = [
    ["bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", /^Checksum mismatch/],
    ["BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", /^Invalid witness version 17/],
    ["bc1rw5uspcuh", /^Invalid witness program length: 1 bytes/],
    [
      "bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90",
      /^Invalid witness program length: 41 bytes/,
    ],
    ["BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", /^Invalid witness v0 program length: 16 bytes/],
    ["tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", /^Mixed case/],
    ["bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", /^Invalid padding/],
    ["tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv", /^Invalid padding/],
    ["bc1gmk9yu", /^Empty data/],
  ];
  it.each(invalid)("refuses %s: %s", (address, reason) => {
    const decoded = decodeSegwitAddress(address);
    expect(decoded.ok ? "accepted" : decoded.message).toMatch(reason);
  });

  it("refuses the invalid human-readable part tc1 for BTC", () => {
    expect(refusal("BTC", "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty")).toMatch(/^Wrong prefix for BTC/);
  });
});

describe("BTC", () => {
  it("accepts mainnet P2PKH, P2SH, P2WPKH, P2WSH and P2TR addresses", () => {
    expect(accepted("BTC", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")).toEqual({
      ok: true,
      address: "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
      format: "P2PKH (Base58Check)",
    });
    expect(accepted("BTC", "3NJZLcZEEYBpxYEUGewU4knsQRn1WM5Fkt").format).toBe("P2SH (Base58Check)");
    expect(accepted("BTC", "bc1qr0c0jscha3tzr7963zz4u2wsezsxvpzkwmrvhg").format).toBe("P2WPKH (bech32)");
    expect(accepted("BTC", "bc1qwqdg6squsna38e46795at95yu9atm8azzmyvckulcc7kytlcckxswvvzej").format).toBe(
      "P2WSH (bech32)",
    );
    expect(accepted("BTC", "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr").format).toBe(
      "P2TR taproot (bech32m)",
    );
    // Uppercase bech32 is valid and stored lowercase; surrounding whitespace is dropped.
    expect(accepted("BTC", "  BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4\n").address).toBe(
      "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    );
  });

  it("refuses testnet and regtest addresses with a precise message", () => {
    for (const address of [
      "mzBc4XEFSdzCDcTxAgf6EZXgsZWpztRhef",
      "2MxKEf2su6FGAUfCEAHreGFQvEYrfYNHvL7",
      "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7",
      "bcrt1q8zx9dlztqz9apm7y5gtx8a0tlz57fhncycvun5",
    ]) {
      expect(refusal("BTC", address)).toMatch(/^This is a testnet address/);
    }
  });

  it("refuses segwit versions not defined on the network", () => {
    expect(refusal("BTC", "bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs")).toMatch(
      /^Witness v2 with a 16-byte program is not defined/,
    );
    expect(refusal("BTC", "BC1SW50QGDZ25J")).toMatch(/^Witness v16/);
    expect(refusal("BTC", "bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y")).toMatch(
      /^Witness v1 with a 40-byte program/,
    );
  });

  it("names checksum, length, character and other-coin mistakes", () => {
    expect(refusal("BTC", corrupt("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 12, BASE58))).toMatch(/^Checksum mismatch/);
    expect(refusal("BTC", corrupt("bc1qr0c0jscha3tzr7963zz4u2wsezsxvpzkwmrvhg", 20, BECH32))).toMatch(
      /^Checksum mismatch/,
    );
    expect(refusal("BTC", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN")).toMatch(/^Wrong length|^Checksum mismatch/);
    expect(refusal("BTC", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfN0")).toMatch(/^“0” cannot appear/);
    expect(refusal("BTC", "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9")).toMatch(
      /^Wrong prefix for BTC: this is a Litecoin address/,
    );
    expect(refusal("BTC", "ltc1qajkrze8gc5qdx2ehldsmd596a2gprnn50a53mj3xxvy0zgtdq6gqumv03a")).toMatch(
      /^Wrong prefix for BTC: ltc1… is a Litecoin address/,
    );
    expect(refusal("BTC", "bitcoincash:qq4v32mtagxac29my6gwj6fd4tmqg8rysu23dax807")).toMatch(
      /^Wrong prefix for BTC: this is a Bitcoin Cash address/,
    );
    expect(
      refusal("BTC", "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"),
    ).toMatch(/^Wrong prefix for BTC: this is a Monero address/);
    expect(refusal("BTC", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")).toMatch(
      /^Wrong prefix for BTC: this is an Ethereum Classic address/,
    );
    expect(refusal("KAS", "bitcoincash:qq4v32mtagxac29my6gwj6fd4tmqg8rysu23dax807")).toMatch(/^Wrong prefix for KAS/);
    expect(refusal("BTC", "bitcoin:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa?amount=1")).toMatch(/payment link/);
    expect(refusal("BTC", "1A1zP1eP5QGefi2 DMPTfTL5SLmv7DivfNa")).toMatch(/no spaces/);
    expect(refusal("BTC", "")).toBe("Enter the address.");
  });
});

describe("LTC", () => {
  it("accepts L, M, legacy 3 and ltc1 addresses", () => {
    expect(accepted("LTC", "LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9").format).toBe("P2PKH (Base58Check)");
    expect(accepted("LTC", "MUWheVyCBf3Fm3WNNXvotQ3Gj8NTSZCBVe").format).toBe("P2SH (Base58Check)");
    expect(accepted("LTC", "3NJZLcZEEYBpxYEUGewU4knsQRn1WM5Fkt").format).toBe("P2SH (Base58Check)");
    expect(accepted("LTC", "ltc1qajkrze8gc5qdx2ehldsmd596a2gprnn50a53mj3xxvy0zgtdq6gqumv03a").format).toBe(
      "P2WSH (bech32)",
    );
  });

  it("refuses Bitcoin, Dogecoin and testnet addresses by name", () => {
    expect(refusal("LTC", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")).toMatch(
      /^Wrong prefix for LTC: this is a Bitcoin or Bitcoin Cash address/,
    );
    expect(refusal("LTC", "DPpJVPpvPNP6i6tMj4rTycAGh8wReTqaSU")).toMatch(
      /^Wrong prefix for LTC: this is a Dogecoin address/,
    );
    expect(refusal("LTC", "bc1qr0c0jscha3tzr7963zz4u2wsezsxvpzkwmrvhg")).toMatch(
      /^Wrong prefix for LTC: bc1… is a Bitcoin address/,
    );
    expect(refusal("LTC", "QW2SvwjaJU8LD6GSmtm1PHnBG2xPuxwZFy")).toMatch(/^This is a testnet address/);
    expect(refusal("LTC", corrupt("LVg2kJoFNg45Nbpy53h7Fe1wKyeXVRhMH9", 9, BASE58))).toMatch(/^Checksum mismatch/);
  });
});

describe("DOGE", () => {
  it("accepts D and A addresses", () => {
    expect(accepted("DOGE", "DPpJVPpvPNP6i6tMj4rTycAGh8wReTqaSU").format).toBe("P2PKH (Base58Check)");
    expect(accepted("DOGE", "DNzLUN6MyYVS5zf4Xc2yK69V3dXs6Mxia5").format).toBe("P2PKH (Base58Check)");
    expect(accepted("DOGE", "A7JjzK9k9x5b2MkkQzqt91WZsuu7wTu6iS").format).toBe("P2SH (Base58Check)");
  });

  it("refuses other coins, testnet and corrupted addresses", () => {
    expect(refusal("DOGE", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa")).toMatch(
      /^Wrong prefix for DOGE: this is a Bitcoin or Bitcoin Cash address/,
    );
    expect(refusal("DOGE", "bc1qr0c0jscha3tzr7963zz4u2wsezsxvpzkwmrvhg")).toMatch(/^Wrong prefix for DOGE/);
    expect(refusal("DOGE", "2MxKEf2su6FGAUfCEAHreGFQvEYrfYNHvL7")).toMatch(/^This is a testnet address/);
    expect(refusal("DOGE", corrupt("DPpJVPpvPNP6i6tMj4rTycAGh8wReTqaSU", 20, BASE58))).toMatch(/^Checksum mismatch/);
  });
});

describe("BCH", () => {
  it("accepts CashAddr with or without its prefix, stored with it, and legacy addresses", () => {
    expect(accepted("BCH", "bitcoincash:qq4v32mtagxac29my6gwj6fd4tmqg8rysu23dax807")).toEqual({
      ok: true,
      address: "bitcoincash:qq4v32mtagxac29my6gwj6fd4tmqg8rysu23dax807",
      format: "CashAddr P2PKH",
    });
    expect(accepted("BCH", "qp3wjpa3tjlj042z2wv7hahsldgwhwy0rq9sywjpyy").address).toBe(
      "bitcoincash:qp3wjpa3tjlj042z2wv7hahsldgwhwy0rq9sywjpyy",
    );
    expect(accepted("BCH", "BITCOINCASH:QPM2QSZNHKS23Z7629MMS6S4CWEF74VCWVY22GDX6A").address).toBe(
      "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
    );
    expect(accepted("BCH", "bitcoincash:ppm2qsznhks23z7629mms6s4cwef74vcwvn0h829pq").format).toBe("CashAddr P2SH");
    expect(accepted("BCH", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").format).toBe("legacy P2PKH (Base58Check)");
  });

  it("refuses testnet, other prefixes, mixed case and corrupted CashAddr", () => {
    expect(refusal("BCH", "bchtest:pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t")).toMatch(/^This is a testnet address/);
    expect(refusal("BCH", "pr6m7j9njldwwzlg9v7v53unlr4jkmx6eyvwc0uz5t")).toMatch(/^This is a testnet address/);
    expect(refusal("BCH", "ecash:qq4v32mtagxac29my6gwj6fd4tmqg8rysu23dax807")).toMatch(
      /^Wrong prefix for BCH: ecash: is an eCash/,
    );
    expect(refusal("BCH", "bitcoincash:qq4v32mtagxac29my6gwj6fd4tmqg8rysu23daX807")).toMatch(/^Mixed case/);
    expect(refusal("BCH", corrupt("bitcoincash:qq4v32mtagxac29my6gwj6fd4tmqg8rysu23dax807", 30, BECH32))).toMatch(
      /^Checksum mismatch/,
    );
    expect(refusal("BCH", "bc1qr0c0jscha3tzr7963zz4u2wsezsxvpzkwmrvhg")).toMatch(
      /^Wrong prefix for BCH: bc1… is a Bitcoin address/,
    );
  });
});

describe("ETC (EIP-55)", () => {
  const EIP55_MIXED = [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
  ];
  // The EIP's "all caps" and "all lower" examples: addresses whose checksummed form is one case.
  const EIP55_SINGLE_CASE = [
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
  ];

  it("computes and accepts every example of the EIP", () => {
    for (const address of [...EIP55_MIXED, ...EIP55_SINGLE_CASE]) {
      expect(`0x${eip55(address.slice(2).toLowerCase())}`).toBe(address);
      expect(accepted("ETC", address)).toEqual({ ok: true, address, format: "EIP-55" });
    }
  });

  it("refuses an unchecksummed (single-case) address and a wrong checksum precisely", () => {
    expect(refusal("ETC", EIP55_MIXED[0]!.toLowerCase())).toMatch(/^This address has no EIP-55 checksum/);
    expect(refusal("ETC", `0x${EIP55_MIXED[1]!.slice(2).toUpperCase()}`)).toMatch(
      /^This address has no EIP-55 checksum/,
    );
    expect(refusal("ETC", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")).toMatch(/^EIP-55 checksum mismatch/);
    expect(refusal("ETC", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe")).toMatch(/^Wrong length/);
    expect(refusal("ETC", "5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")).toMatch(/^Add the 0x prefix/);
    expect(refusal("ETC", "0x0000000000000000000000000000000000000000")).toMatch(/zero address/);
    expect(refusal("ETC", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")).toMatch(/^“g” is not a hex character/);
  });
});

describe("XMR", () => {
  it("accepts standard, integrated and subaddresses", () => {
    expect(
      accepted("XMR", "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A")
        .format,
    ).toBe("standard address");
    expect(
      accepted("XMR", "4BJHitCigGy6giuYsJFP26KGkTKiQDJ6HJP1pan2ir2CCV8Twc2WWmo4fu1NVXt8XLGYAkjo5cJ3yH68Lfz9ZXEUJ9MeqPW")
        .format,
    ).toBe("standard address");
    expect(
      accepted(
        "XMR",
        "4LL9oSLmtpccfufTMvppY6JwXNouMBzSkbLYfpAV5Usx3skxNgYeYTRj5UzqtReoS44qo9mtmXCqY45DJ852K5Jv2bYXZKKQePHES9khPK",
      ).format,
    ).toBe("integrated address (with payment ID)");
    expect(
      accepted("XMR", "86iQTnEqQ9mXJFvBvbY3KU5do5Jh2NCkpTcZsw3TMZ6oKNJhELvAreZFQ1p8EknRRTKPp2vg9fJvy47Q4ARVChjLMuUAFQJ")
        .format,
    ).toBe("subaddress");
    expect(
      accepted("XMR", "891TQPrWshJVpnBR4ZMhHiHpLx1PUnMqa3ccV5TJFBbqcJa3DWhjBh2QByCv3Su7WDPTGMHmCKkiVFN2fyGJKwbM1t6G7Ea")
        .format,
    ).toBe("subaddress");
  });

  it("refuses testnet, corrupted and truncated addresses", () => {
    expect(
      refusal("XMR", "9tUBnNCkC3UKGygHCwYvAB1FscpjUuq5e9MYJd2rXuiiTjjfVeSVjnbSG5VTnJgBgy9Y7GTLfxpZNMUwNZjGfdFr1z79eV1"),
    ).toMatch(/^This is a testnet address/);
    expect(
      refusal(
        "XMR",
        "A4AroB2EoJzKGygHCwYvAB1FscpjUuq5e9MYJd2rXuiiTjjfVeSVjnbSG5VTnJgBgy9Y7GTLfxpZNMUwNZjGfdFr2QY5Ba2aHhTEdQa2ra",
      ),
    ).toMatch(/^This is a testnet address/);
    const good = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
    expect(refusal("XMR", corrupt(good, 40, BASE58))).toMatch(/^Checksum mismatch/);
    expect(refusal("XMR", good.slice(0, -1))).toMatch(/^Wrong length: a Monero address has 95 characters/);
  });
});

describe("KAS", () => {
  it("accepts Schnorr, ECDSA and P2SH addresses (rusty-kaspa and kaspad vectors)", () => {
    expect(accepted("KAS", "kaspa:qp0l70zd5x85ttwd6jv7g3s3a8llzj96d8dncn4zmhv4tlzx5k2jyqh70xmfj").format).toBe(
      "Schnorr P2PK",
    );
    expect(accepted("KAS", "kaspa:qpauqsvk7yf9unexwmxsnmg547mhyga37csh0kj53q6xxgl24ydxjsgzthw5j").format).toBe(
      "Schnorr P2PK",
    );
    expect(accepted("KAS", "kaspa:qypyrhxkfd055qulcvu6zccq4qe63qajrzgf7t4u4uusveguw6zzc3grrceeuex").format).toBe(
      "ECDSA P2PK",
    );
    expect(accepted("KAS", "kaspa:prq20q4qd9ulr044cauyy9wtpeupqpjv67pn2vyc6acly7xqkrjdzmh8rj9f4").format).toBe("P2SH");
  });

  it("refuses testnet, a missing prefix, bad checksums and wrong lengths", () => {
    expect(refusal("KAS", "kaspatest:qxaqrlzlf6wes72en3568khahq66wf27tuhfxn5nytkd8tcep2c0vrse6gdmpks")).toMatch(
      /^This is a testnet address/,
    );
    expect(refusal("KAS", "qp0l70zd5x85ttwd6jv7g3s3a8llzj96d8dncn4zmhv4tlzx5k2jyqh70xmfj")).toMatch(
      /^Wrong prefix for KAS/,
    );
    expect(refusal("KAS", "kaspa:qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqkx9awp4l")).toMatch(
      /^Checksum mismatch/,
    );
    expect(refusal("KAS", "kaspa:qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqkx9awp4e")).toMatch(
      /^Checksum mismatch/,
    );
    expect(refusal("KAS", "kaspa:qr35ennsep3hxfe7lnz5ee7j5jgmkjswsslwxj42ta")).toMatch(
      /^Wrong length: a Kaspa Schnorr P2PK address holds 32 bytes, this one 20/,
    );
    expect(refusal("KAS", "kaspa:qqqqqqqqqqqqq1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqkx9awp4e")).toMatch(
      /^“1” cannot appear/,
    );
  });
});

describe("Base58Check decoding", () => {
  it("returns the version byte and the 20-byte hash", () => {
    const decoded = decodeBase58Check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    expect(decoded.ok && [decoded.version, bytesToHex(decoded.hash)]).toEqual([
      0,
      "62e907b15cbf27d5425399ebf6f0fb50ebb88f18",
    ]);
  });
});
