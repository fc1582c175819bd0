ALTER TABLE messages ADD CONSTRAINT lint_c CHECK (created_at > '2000-01-01');
