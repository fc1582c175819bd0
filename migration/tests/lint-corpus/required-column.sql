ALTER TABLE messages ADD COLUMN lint_r integer NOT NULL;
