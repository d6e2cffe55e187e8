-- Share links get an id of their own, so they can be listed and revoked without their token
-- (only its digest is kept), and the token's first characters, so people can tell links apart.
-- Portable SQL, like 0001.

ALTER TABLE share_links ADD COLUMN id TEXT;
ALTER TABLE share_links ADD COLUMN token_prefix TEXT;

-- Links made before this keep no prefix; their id comes from their digest.
UPDATE share_links SET id = substr(token_sha256, 1, 16) WHERE id IS NULL;

CREATE UNIQUE INDEX share_links_by_id ON share_links (id);
