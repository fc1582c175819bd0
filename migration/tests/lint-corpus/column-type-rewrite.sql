ALTER TABLE messages ALTER COLUMN created_at TYPE timestamp;
