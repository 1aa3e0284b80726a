-- The write contract GIS clients expect (#20).
--
-- Every edited table carries `version`, bumped by every update: a feature's ETag is its
-- row version (with its representation as a suffix), so a client that read the feature
-- in any CRS or format can send the ETag back. Zones and targets, edited since 0019,
-- lacked one; `updated_at` is their Last-Modified (If-Unmodified-Since).
ALTER TABLE zones ADD COLUMN version integer NOT NULL DEFAULT 1,
                  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE TRIGGER zones_version BEFORE UPDATE ON zones FOR EACH ROW EXECUTE FUNCTION bump_version();
ALTER TABLE targets ADD COLUMN version integer NOT NULL DEFAULT 1,
                    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
CREATE TRIGGER targets_version BEFORE UPDATE ON targets FOR EACH ROW EXECUTE FUNCTION bump_version();

-- A token that may write without a precondition (If-Match or If-Unmodified-Since): for
-- clients that cannot send one (QGIS, OWSLib). Off unless asked for at creation.
ALTER TABLE api_tokens ADD COLUMN blind_writes boolean NOT NULL DEFAULT false;

-- Whether a write was made without a precondition: such a write may have overwritten
-- another editor's change unseen, and the history says so.
ALTER TABLE audit_log ADD COLUMN blind boolean NOT NULL DEFAULT false;
