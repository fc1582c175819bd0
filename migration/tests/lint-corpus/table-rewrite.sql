ALTER TABLE messages ADD COLUMN lint_u uuid DEFAULT gen_random_uuid();
