CREATE INDEX lint_i ON messages (created_at);
