-- Upstream pools (lib/stratum/upstream.ts): a facility may send the work of its rigs of one coin
-- to a pool of its choosing. The proxy takes that pool's jobs, verifies every share itself as in
-- pool mode and forwards the shares that meet the pool's difficulty, counting the pool's answers
-- in rig_share_minutes/days.upstream_accepted/rejected. Without a row here the rigs of that coin
-- mine in pool mode. The pool account's password is AES-256-GCM encrypted with the key ring
-- (bound to the facility and coin), like TOTP secrets; pools often take any password ("x").
CREATE TABLE "facility_upstreams" (
    "facility_id" UUID NOT NULL,
    "coin" "asset" NOT NULL,
    "url" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "password_enc" TEXT NOT NULL,
    "password_key_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "facility_upstreams_pkey" PRIMARY KEY ("facility_id", "coin"),
    CONSTRAINT "facility_upstreams_coin" CHECK ("coin" <> 'USD'),
    CONSTRAINT "facility_upstreams_url_shape" CHECK ("url" ~ '^stratum\+tcp://[A-Za-z0-9.-]+:[0-9]{1,5}$'),
    CONSTRAINT "facility_upstreams_username_shape" CHECK (length("username") BETWEEN 1 AND 200)
);
ALTER TABLE "facility_upstreams" ADD CONSTRAINT "facility_upstreams_facility_id_fkey"
    FOREIGN KEY ("facility_id") REFERENCES "facilities"("id") ON DELETE CASCADE ON UPDATE CASCADE;
