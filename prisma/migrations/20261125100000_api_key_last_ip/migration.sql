-- API keys show where they were last used from (settings page), beside last_used_at.
ALTER TABLE "api_keys" ADD COLUMN "last_used_ip" TEXT;
