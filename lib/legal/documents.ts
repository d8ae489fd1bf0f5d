// The documents a person accepts or reads before trusting Hashlease with money: the terms of
// service, the risk disclosure and the privacy notice (accepted together at sign-up, under one
// version), and the FAQ on how payouts, curtailment and credits work. Plain data, rendered by
// components/legal/legal-document.tsx; the payout answers restate ../shared/DESIGN.md's formula
// in words, so a change to the formula is a change here too.

/** The version a new account accepts (users.terms_version). Change it whenever the text below changes. */
export const TERMS_VERSION = "2026-12-07";

/** Where people reach support (SUPPORT_EMAIL); the 403 page and the support page point here. */
export function supportEmail(): string {
  return process.env.SUPPORT_EMAIL?.trim() || "support@hashlease.test";
}

export interface LegalSection {
  heading: string;
  paragraphs: string[];
}

export interface LegalDocument {
  path: string;
  title: string;
  summary: string;
  sections: LegalSection[];
}

export const TERMS: LegalDocument = {
  path: "/terms",
  title: "Terms of service",
  summary:
    "What a Hashlease contract is, what we owe you, what you owe us, and how either side ends it. By creating an account you accept these terms, the risk disclosure and the privacy notice.",
  sections: [
    {
      heading: "1. What you buy",
      paragraphs: [
        "A contract rents an amount of hashrate of one algorithm (for example 10 TH/s of SHA-256) from an operator's listed rigs for a whole number of UTC days. You pay the listed price per pricing unit per day for the full term up front; the platform fee is included in that price.",
        "You do not buy hardware, a share of a company or a promise of any return. What the hashrate mines depends on the network and the coin's price, which no one controls.",
      ],
    },
    {
      heading: "2. Daily payouts",
      paragraphs: [
        "Every UTC day of the term, once the day has ended, the coins your delivered hashrate earned are credited to your balance in that coin, net of the pool fee and the maintenance fee, by the published formula (see How payouts work). Every figure of every payout is stored and can be recomputed by you from its inputs.",
        "If the rigs delivered less than you paid for, you are credited the price of the missing hashrate in USD. If a day is curtailed (mining would not cover the maintenance fee), that day pays nothing and still counts toward the term.",
      ],
    },
    {
      heading: "3. Your balance and withdrawals",
      paragraphs: [
        "Balances are kept in a double-entry ledger. You may withdraw coin to an address in your address book once its 48-hour new-address lock has passed, with two-factor authentication on, above the coin's minimum and within its daily limit. Large withdrawals are reviewed by a second person before they are sent.",
        "We may hold a withdrawal, freeze an account or refuse a purchase where the law requires it or where we reasonably suspect fraud or a compromised account; we tell you why unless the law forbids it.",
      ],
    },
    {
      heading: "4. Operators",
      paragraphs: [
        "Operators list only rigs they control, report their hashrate truthfully and keep rigs mining through Hashlease's Stratum endpoint where it supports their algorithm. Measured hashrate always wins over a declaration. An operator's payable is reduced by the credits paid for hashrate they did not deliver.",
      ],
    },
    {
      heading: "5. Ending a contract",
      paragraphs: [
        "A contract ends after its last day. A card checkout that is not paid within 30 minutes expires and reserves nothing. If a listing's rigs are retired, your allocation moves to other free capacity of the listing where there is some; otherwise the missing hashrate is credited as in section 2.",
      ],
    },
    {
      heading: "6. Liability",
      paragraphs: [
        "We are liable for what we do wrong under these terms: a payout computed other than by the formula is corrected, and money lost through our error is restored. We are not liable for network difficulty, coin prices, fees set by blockchains, or for losses from a wallet or address you control.",
      ],
    },
    {
      heading: "7. Changes",
      paragraphs: [
        "When these terms change, the version date above changes and we tell you by email at least 30 days before the new terms apply to contracts you already hold. Contracts keep the price and terms they were sold with.",
      ],
    },
  ],
};

export const RISK: LegalDocument = {
  path: "/risk",
  title: "Risk disclosure",
  summary: "Renting hashrate can lose money. Read this before you buy.",
  sections: [
    {
      heading: "Income is not guaranteed",
      paragraphs: [
        "A contract's payouts depend on the network's difficulty, the block subsidy, transaction fees and the coin's price, day by day. Difficulty tends to rise; subsidies halve on a schedule. The calculator's estimates assume today's figures stay as they are, and they will not.",
        "A contract can pay back less than its price. On curtailed days it pays nothing.",
      ],
    },
    {
      heading: "Coin prices move",
      paragraphs: [
        "Payouts are in coin. Their USD value can fall, quickly and a long way, between the day you are paid and the day you sell. Keeping coin on any platform, including this one, carries the platform's risk as well as the coin's.",
      ],
    },
    {
      heading: "Operators and rigs",
      paragraphs: [
        "Rigs fail, facilities lose power, and operators can stop operating. Under-delivery is credited at the contract's price, not at what the hashrate would have mined.",
      ],
    },
    {
      heading: "Taxes",
      paragraphs: [
        "Mining income is usually taxable when received, at its value then, whether or not you sell. The tax pages are estimates to help you keep records, not tax advice.",
      ],
    },
  ],
};

export const PRIVACY: LegalDocument = {
  path: "/privacy",
  title: "Privacy notice",
  summary: "What we keep about you, why, for how long, and what you can ask of us.",
  sections: [
    {
      heading: "What we keep",
      paragraphs: [
        "Your name, email address and password hash; your contracts, balances, payouts, withdrawals and address book; your tax profiles; the IP address and browser of each sign-in and of each action that moves money; and the audit log of what you and our staff did on your account.",
        "We never store your card number (Stripe does), your password in plain text, or your two-factor secret unencrypted.",
      ],
    },
    {
      heading: "Why",
      paragraphs: [
        "To run your contracts and pay you, to keep your account safe (new-place sign-in notices, withdrawal checks), to meet record-keeping and anti-money-laundering duties, and to answer you when you contact support. We do not sell your data or use it for advertising.",
      ],
    },
    {
      heading: "How long",
      paragraphs: [
        "Ledger entries, payouts and the audit log are kept for as long as the law requires financial records to be kept, also after you close your account: they cannot be edited or deleted without breaking the ledger's and the audit chain's checks. Session records and rate-limit counters expire within weeks.",
      ],
    },
    {
      heading: "Your rights",
      paragraphs: [
        "You can download your tax ledger and payouts at any time, correct your name and email in your settings, and ask support for a copy of what we hold about you or to close your account.",
      ],
    },
  ],
};

export interface FaqEntry {
  question: string;
  answer: string[];
}

/** The help page's questions, in the order a new customer meets them. */
export const FAQ: FaqEntry[] = [
  {
    question: "How is a day's payout computed?",
    answer: [
      "For each UTC day of your term: your delivered hashrate is what the rigs backing your contract actually did, up to what you rented. The gross coins are your share of what the whole network mined that day: delivered hashrate ÷ network hashrate × (block subsidy + average fees) × blocks per day.",
      "From that the pool fee (a percentage per coin) and the maintenance fee (the listing's fee per unit per day, converted to coin at the day's price) are taken; the rest is credited to your balance. Each payout page shows every input and figure, and a link that recomputes it.",
    ],
  },
  {
    question: "What is a curtailed day?",
    answer: [
      "A day on which mining, after the pool fee, would not cover the maintenance fee. Then the rigs are not worth running: the day pays nothing, charges no fee, and still counts toward your term. This protects you from paying more in fees than the hashrate earned.",
    ],
  },
  {
    question: "What is an under-delivery credit?",
    answer: [
      "If the rigs delivered less hashrate than you paid for on a day, you are credited the price of the missing part in USD, from the operator's payable: missing hashrate ÷ rented hashrate × the contract's price for one full day. The credit lands in your USD balance, which you can spend on contracts.",
    ],
  },
  {
    question: "How is delivered hashrate measured?",
    answer: [
      "Rigs mine through Hashlease's Stratum endpoint, which checks every share they submit by hashing it. The accepted shares' difficulty over the day gives the measured hashrate. Where an algorithm cannot be verified yet, the operator's reported figure is used and the payout says so.",
    ],
  },
  {
    question: "When can I withdraw?",
    answer: [
      "Once two-factor authentication is on, the address is in your address book and its 48-hour new-address lock has passed, and the amount is above the coin's minimum and within its daily limit. Large amounts wait for review by our staff; you receive an email at each step.",
    ],
  },
  {
    question: "What happens if I close the checkout page without paying?",
    answer: [
      "A card checkout holds the hashrate for 30 minutes. If it is not paid by then it expires, the hashrate is released and you are not charged.",
    ],
  },
];
