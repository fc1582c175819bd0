ALTER TABLE messages RENAME COLUMN created_at TO made_at;
