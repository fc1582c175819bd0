-- objects
index idx_audit_logs_entity: CREATE INDEX idx_audit_logs_entity ON audit_logs (entity_type, entity_id)
index idx_audit_logs_tenant_time: CREATE INDEX idx_audit_logs_tenant_time ON audit_logs (tenant_id, created_at)
index idx_audit_logs_user_id: CREATE INDEX idx_audit_logs_user_id ON audit_logs (user_id)
index idx_automations_created_by: CREATE INDEX idx_automations_created_by ON automations (created_by)
index idx_automations_is_active: CREATE INDEX idx_automations_is_active ON automations (is_active)
index idx_automations_tenant_id: CREATE INDEX idx_automations_tenant_id ON automations (tenant_id)
index idx_automations_trigger_type: CREATE INDEX idx_automations_trigger_type ON automations (trigger_type)
index idx_automations_updated_by: CREATE INDEX idx_automations_updated_by ON automations (updated_by)
index idx_conversation_tags_conversation_id: CREATE INDEX idx_conversation_tags_conversation_id ON conversation_tags (conversation_id)
index idx_conversation_tags_created_by: CREATE INDEX idx_conversation_tags_created_by ON conversation_tags (created_by)
index idx_conversation_tags_tag_id: CREATE INDEX idx_conversation_tags_tag_id ON conversation_tags (tag_id)
index idx_conversation_tags_tenant_id: CREATE INDEX idx_conversation_tags_tenant_id ON conversation_tags (tenant_id)
index idx_conversations_agent_queue: CREATE INDEX idx_conversations_agent_queue ON conversations (tenant_id, priority_score DESC) WHERE status IN ('OPEN', 'IN_PROGRESS', 'PENDING')
index idx_conversations_assigned_agent_id: CREATE INDEX idx_conversations_assigned_agent_id ON conversations (assigned_agent_id)
index idx_conversations_created_at: CREATE INDEX idx_conversations_created_at ON conversations (created_at)
index idx_conversations_created_by: CREATE INDEX idx_conversations_created_by ON conversations (created_by)
index idx_conversations_customer_id: CREATE INDEX idx_conversations_customer_id ON conversations (customer_id)
index idx_conversations_sla_deadline: CREATE INDEX idx_conversations_sla_deadline ON conversations (sla_deadline)
index idx_conversations_status: CREATE INDEX idx_conversations_status ON conversations (status)
index idx_conversations_tenant_id: CREATE INDEX idx_conversations_tenant_id ON conversations (tenant_id)
index idx_conversations_tenant_status_recent: CREATE INDEX idx_conversations_tenant_status_recent ON conversations (tenant_id, status, created_at DESC)
index idx_conversations_updated_by: CREATE INDEX idx_conversations_updated_by ON conversations (updated_by)
index idx_customer_tags_created_by: CREATE INDEX idx_customer_tags_created_by ON customer_tags (created_by)
index idx_customer_tags_customer_id: CREATE INDEX idx_customer_tags_customer_id ON customer_tags (customer_id)
index idx_customer_tags_tag_id: CREATE INDEX idx_customer_tags_tag_id ON customer_tags (tag_id)
index idx_customer_tags_tenant_id: CREATE INDEX idx_customer_tags_tenant_id ON customer_tags (tenant_id)
index idx_customers_created_by: CREATE INDEX idx_customers_created_by ON customers (created_by)
index idx_customers_status: CREATE INDEX idx_customers_status ON customers (status)
index idx_customers_tenant_id: CREATE INDEX idx_customers_tenant_id ON customers (tenant_id)
index idx_customers_updated_by: CREATE INDEX idx_customers_updated_by ON customers (updated_by)
index idx_file_attachments_created_by: CREATE INDEX idx_file_attachments_created_by ON file_attachments (created_by)
index idx_file_attachments_message_id: CREATE INDEX idx_file_attachments_message_id ON file_attachments (message_id)
index idx_file_attachments_tenant_id: CREATE INDEX idx_file_attachments_tenant_id ON file_attachments (tenant_id)
index idx_messages_conversation_id: CREATE INDEX idx_messages_conversation_id ON messages (conversation_id)
index idx_messages_conversation_timeline: CREATE INDEX idx_messages_conversation_timeline ON messages (conversation_id, created_at)
index idx_messages_created_at: CREATE INDEX idx_messages_created_at ON messages (created_at)
index idx_messages_sender_type: CREATE INDEX idx_messages_sender_type ON messages (sender_type)
index idx_messages_tenant_id: CREATE INDEX idx_messages_tenant_id ON messages (tenant_id)
index idx_notification_settings_tenant_id: CREATE INDEX idx_notification_settings_tenant_id ON notification_settings (tenant_id)
index idx_notification_settings_user_id: CREATE INDEX idx_notification_settings_user_id ON notification_settings (user_id)
index idx_performance_metrics_tenant_id: CREATE INDEX idx_performance_metrics_tenant_id ON performance_metrics (tenant_id)
index idx_performance_metrics_tenant_type_period: CREATE INDEX idx_performance_metrics_tenant_type_period ON performance_metrics (tenant_id, metric_type, period_start)
index idx_performance_metrics_user_id: CREATE INDEX idx_performance_metrics_user_id ON performance_metrics (user_id)
index idx_subscriptions_period_end: CREATE INDEX idx_subscriptions_period_end ON subscriptions (current_period_end)
index idx_subscriptions_status: CREATE INDEX idx_subscriptions_status ON subscriptions (status)
index idx_subscriptions_tenant_id: CREATE INDEX idx_subscriptions_tenant_id ON subscriptions (tenant_id)
index idx_tags_created_by: CREATE INDEX idx_tags_created_by ON tags (created_by)
index idx_tags_tenant_id: CREATE INDEX idx_tags_tenant_id ON tags (tenant_id)
index idx_user_sessions_expires_at: CREATE INDEX idx_user_sessions_expires_at ON user_sessions (expires_at)
index idx_user_sessions_tenant_id: CREATE INDEX idx_user_sessions_tenant_id ON user_sessions (tenant_id)
index idx_user_sessions_user_id: CREATE INDEX idx_user_sessions_user_id ON user_sessions (user_id)
index idx_users_created_by: CREATE INDEX idx_users_created_by ON users (created_by)
index idx_users_role: CREATE INDEX idx_users_role ON users (role)
index idx_users_status: CREATE INDEX idx_users_status ON users (status)
index idx_users_tenant_id: CREATE INDEX idx_users_tenant_id ON users (tenant_id)
index idx_users_updated_by: CREATE INDEX idx_users_updated_by ON users (updated_by)
index idx_webhooks_created_by: CREATE INDEX idx_webhooks_created_by ON webhooks (created_by)
index idx_webhooks_tenant_id: CREATE INDEX idx_webhooks_tenant_id ON webhooks (tenant_id)
index idx_webhooks_updated_by: CREATE INDEX idx_webhooks_updated_by ON webhooks (updated_by)
index uq_customers_tenant_email: CREATE UNIQUE INDEX uq_customers_tenant_email ON customers (tenant_id, lower(email)) WHERE email IS NOT NULL
index uq_tenants_custom_domain: CREATE UNIQUE INDEX uq_tenants_custom_domain ON tenants (custom_domain)
index uq_tenants_domain: CREATE UNIQUE INDEX uq_tenants_domain ON tenants (domain)
index uq_users_tenant_email: CREATE UNIQUE INDEX uq_users_tenant_email ON users (tenant_id, lower(email))
table audit_logs: CREATE TABLE audit_logs (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB CHECK ((tenant_id IS NULL OR typeof(tenant_id) = 'blob' AND length(tenant_id) = 16)) REFERENCES tenants (id) ON DELETE CASCADE,
    user_id BLOB CHECK ((user_id IS NULL OR typeof(user_id) = 'blob' AND length(user_id) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    action TEXT NOT NULL CHECK (length(action) <= 100),
    entity_type TEXT NOT NULL CHECK (length(entity_type) <= 50),
    entity_id BLOB NOT NULL CHECK (typeof(entity_id) = 'blob' AND length(entity_id) = 16),
    old_values TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(old_values) AND json_type(old_values) = 'object'),
    new_values TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(new_values) AND json_type(new_values) = 'object'),
    ip_address TEXT,
    user_agent TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    PRIMARY KEY (id)
)
table automations: CREATE TABLE automations (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) <= 255),
    description TEXT,
    trigger_type TEXT NOT NULL CHECK (trigger_type IN ('MESSAGE', 'CONVERSATION', 'SCHEDULE', 'WEBHOOK')),
    trigger_conditions TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(trigger_conditions) AND json_type(trigger_conditions) = 'object'),
    actions TEXT NOT NULL CHECK (json_valid(actions) AND json_type(actions) = 'array'),
    is_active BOOLEAN NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    priority INTEGER NOT NULL DEFAULT 0 CHECK (typeof(priority) = 'integer'),
    created_by BLOB CHECK ((created_by IS NULL OR typeof(created_by) = 'blob' AND length(created_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    updated_by BLOB CHECK ((updated_by IS NULL OR typeof(updated_by) = 'blob' AND length(updated_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(updated_at) IS NOT NULL),
    PRIMARY KEY (id)
)
table conversation_tags: CREATE TABLE conversation_tags (
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    conversation_id BLOB NOT NULL CHECK (typeof(conversation_id) = 'blob' AND length(conversation_id) = 16),
    tag_id BLOB NOT NULL CHECK (typeof(tag_id) = 'blob' AND length(tag_id) = 16),
    created_by BLOB CHECK ((created_by IS NULL OR typeof(created_by) = 'blob' AND length(created_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    PRIMARY KEY (conversation_id, tag_id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, tag_id) REFERENCES tags (tenant_id, id) ON DELETE CASCADE
)
table conversations: CREATE TABLE conversations (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    customer_id BLOB NOT NULL CHECK (typeof(customer_id) = 'blob' AND length(customer_id) = 16),
    assigned_agent_id BLOB CHECK ((assigned_agent_id IS NULL OR typeof(assigned_agent_id) = 'blob' AND length(assigned_agent_id) = 16)),
    status TEXT NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'IN_PROGRESS', 'PENDING', 'RESOLVED', 'CLOSED')),
    priority TEXT NOT NULL DEFAULT 'MEDIUM' CHECK (priority IN ('LOW', 'MEDIUM', 'HIGH', 'URGENT')),
    subject TEXT CHECK ((subject IS NULL OR length(subject) <= 500)),
    custom_attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_attributes) AND json_type(custom_attributes) = 'object'),
    resolved_at TEXT CHECK ((resolved_at IS NULL OR julianday(resolved_at) IS NOT NULL)),
    created_by BLOB CHECK ((created_by IS NULL OR typeof(created_by) = 'blob' AND length(created_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    updated_by BLOB CHECK ((updated_by IS NULL OR typeof(updated_by) = 'blob' AND length(updated_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(updated_at) IS NOT NULL), priority_score INTEGER NOT NULL DEFAULT 0 CHECK (typeof(priority_score) = 'integer'), estimated_resolution_time INTEGER CHECK ((estimated_resolution_time IS NULL OR typeof(estimated_resolution_time) = 'integer') AND estimated_resolution_time >= 0), sla_deadline TEXT CHECK ((sla_deadline IS NULL OR julianday(sla_deadline) IS NOT NULL)), escalation_level INTEGER NOT NULL DEFAULT 0 CHECK (typeof(escalation_level) = 'integer' AND escalation_level BETWEEN 0 AND 10),
    PRIMARY KEY (id),
    CONSTRAINT uq_conversations_tenant_id_id UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (assigned_agent_id) REFERENCES users (id) ON DELETE SET NULL
)
table customer_tags: CREATE TABLE customer_tags (
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    customer_id BLOB NOT NULL CHECK (typeof(customer_id) = 'blob' AND length(customer_id) = 16),
    tag_id BLOB NOT NULL CHECK (typeof(tag_id) = 'blob' AND length(tag_id) = 16),
    created_by BLOB CHECK ((created_by IS NULL OR typeof(created_by) = 'blob' AND length(created_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    PRIMARY KEY (customer_id, tag_id),
    FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, tag_id) REFERENCES tags (tenant_id, id) ON DELETE CASCADE
)
table customers: CREATE TABLE customers (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    email TEXT CHECK ((email IS NULL OR length(email) <= 255)),
    phone TEXT CHECK ((phone IS NULL OR length(phone) <= 50)),
    first_name TEXT CHECK ((first_name IS NULL OR length(first_name) <= 100)),
    last_name TEXT CHECK ((last_name IS NULL OR length(last_name) <= 100)),
    avatar_url TEXT CHECK ((avatar_url IS NULL OR length(avatar_url) <= 500)),
    custom_attributes TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(custom_attributes) AND json_type(custom_attributes) = 'object'),
    status TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE', 'BLOCKED')),
    created_by BLOB CHECK ((created_by IS NULL OR typeof(created_by) = 'blob' AND length(created_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    updated_by BLOB CHECK ((updated_by IS NULL OR typeof(updated_by) = 'blob' AND length(updated_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(updated_at) IS NOT NULL),
    PRIMARY KEY (id),
    CONSTRAINT uq_customers_tenant_id_id UNIQUE (tenant_id, id)
)
table file_attachments: CREATE TABLE file_attachments (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    message_id BLOB NOT NULL CHECK (typeof(message_id) = 'blob' AND length(message_id) = 16),
    file_name TEXT NOT NULL CHECK (length(file_name) <= 255),
    file_path TEXT NOT NULL CHECK (length(file_path) <= 500),
    file_size INTEGER NOT NULL CHECK (typeof(file_size) = 'integer' AND file_size >= 0),
    mime_type TEXT NOT NULL CHECK (length(mime_type) <= 100),
    file_hash TEXT CHECK ((file_hash IS NULL OR length(file_hash) <= 64)),
    storage_provider TEXT NOT NULL DEFAULT 'LOCAL' CHECK (storage_provider IN ('LOCAL', 'S3', 'GCS', 'AZURE')),
    storage_metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(storage_metadata) AND json_type(storage_metadata) = 'object'),
    created_by BLOB CHECK ((created_by IS NULL OR typeof(created_by) = 'blob' AND length(created_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    PRIMARY KEY (id),
    FOREIGN KEY (tenant_id, message_id) REFERENCES messages (tenant_id, id) ON DELETE CASCADE
)
table messages: CREATE TABLE messages (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    conversation_id BLOB NOT NULL CHECK (typeof(conversation_id) = 'blob' AND length(conversation_id) = 16),
    sender_type TEXT NOT NULL CHECK (sender_type IN ('USER', 'CUSTOMER', 'SYSTEM', 'AI')),
    sender_id BLOB CHECK ((sender_id IS NULL OR typeof(sender_id) = 'blob' AND length(sender_id) = 16)),
    content TEXT NOT NULL,
    message_type TEXT NOT NULL DEFAULT 'TEXT' CHECK (message_type IN ('TEXT', 'IMAGE', 'FILE', 'AUDIO', 'VIDEO', 'LOCATION')),
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    is_read BOOLEAN NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)),
    read_at TEXT CHECK ((read_at IS NULL OR julianday(read_at) IS NOT NULL)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(updated_at) IS NOT NULL),
    PRIMARY KEY (id),
    CONSTRAINT uq_messages_tenant_id_id UNIQUE (tenant_id, id),
    FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE
)
table notification_settings: CREATE TABLE notification_settings (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL CHECK (typeof(user_id) = 'blob' AND length(user_id) = 16),
    email_notifications BOOLEAN NOT NULL DEFAULT 1 CHECK (email_notifications IN (0, 1)),
    push_notifications BOOLEAN NOT NULL DEFAULT 1 CHECK (push_notifications IN (0, 1)),
    sms_notifications BOOLEAN NOT NULL DEFAULT 0 CHECK (sms_notifications IN (0, 1)),
    notification_types TEXT NOT NULL DEFAULT '{"new_conversation":true,"message_received":true,"conversation_assigned":true}' CHECK (json_valid(notification_types) AND json_type(notification_types) = 'object'),
    quiet_hours TEXT NOT NULL DEFAULT '{"enabled":false,"start":"22:00","end":"08:00"}' CHECK (json_valid(quiet_hours) AND json_type(quiet_hours) = 'object'),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(updated_at) IS NOT NULL),
    PRIMARY KEY (id),
    CONSTRAINT uq_notification_settings_user UNIQUE (user_id),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
)
table performance_metrics: CREATE TABLE performance_metrics (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    user_id BLOB CHECK ((user_id IS NULL OR typeof(user_id) = 'blob' AND length(user_id) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    metric_type TEXT NOT NULL CHECK (length(metric_type) <= 50),
    metric_value TEXT NOT NULL CHECK (typeof(metric_value) = 'text' AND ltrim(metric_value, '-') GLOB '[0-9]*' AND ltrim(metric_value, '-') NOT GLOB '*[^0-9.]*' AND ltrim(metric_value, '-') NOT GLOB '*.*.*' AND ltrim(metric_value, '-') NOT GLOB '*.???*' AND abs(CAST(metric_value AS REAL)) < 1e8),
    metric_unit TEXT NOT NULL CHECK (length(metric_unit) <= 20),
    period_start TEXT NOT NULL CHECK (julianday(period_start) IS NOT NULL),
    period_end TEXT NOT NULL CHECK (julianday(period_end) IS NOT NULL),
    metadata TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata) AND json_type(metadata) = 'object'),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    PRIMARY KEY (id),
    CHECK (period_end >= period_start)
)
table subscriptions: CREATE TABLE subscriptions (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    plan_type TEXT NOT NULL DEFAULT 'FREE' CHECK (plan_type IN ('FREE', 'STARTER', 'PROFESSIONAL', 'ENTERPRISE')),
    status TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'TRIALING', 'PAST_DUE', 'CANCELLED', 'EXPIRED')),
    current_period_start TEXT NOT NULL CHECK (julianday(current_period_start) IS NOT NULL),
    current_period_end TEXT NOT NULL CHECK (julianday(current_period_end) IS NOT NULL),
    cancel_at_period_end BOOLEAN NOT NULL DEFAULT 0 CHECK (cancel_at_period_end IN (0, 1)),
    cancelled_at TEXT CHECK ((cancelled_at IS NULL OR julianday(cancelled_at) IS NOT NULL)),
    stripe_subscription_id TEXT CHECK ((stripe_subscription_id IS NULL OR length(stripe_subscription_id) <= 255)),
    paypal_subscription_id TEXT CHECK ((paypal_subscription_id IS NULL OR length(paypal_subscription_id) <= 255)),
    amount TEXT NOT NULL CHECK (typeof(amount) = 'text' AND ltrim(amount, '-') GLOB '[0-9]*' AND ltrim(amount, '-') NOT GLOB '*[^0-9.]*' AND ltrim(amount, '-') NOT GLOB '*.*.*' AND ltrim(amount, '-') NOT GLOB '*.???*' AND abs(CAST(amount AS REAL)) < 1e8 AND amount >= 0),
    currency TEXT NOT NULL DEFAULT 'GBP' CHECK (length(currency) <= 3 AND currency GLOB '[A-Z][A-Z][A-Z]'),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(updated_at) IS NOT NULL),
    PRIMARY KEY (id),
    CHECK (current_period_end > current_period_start)
)
table tags: CREATE TABLE tags (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) <= 100),
    colour TEXT NOT NULL DEFAULT '#3B82F6' CHECK (length(colour) <= 7 AND colour GLOB '#[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]'),
    description TEXT,
    usage_count INTEGER NOT NULL DEFAULT 0 CHECK (typeof(usage_count) = 'integer' AND usage_count >= 0),
    created_by BLOB CHECK ((created_by IS NULL OR typeof(created_by) = 'blob' AND length(created_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    PRIMARY KEY (id),
    CONSTRAINT uq_tags_tenant_id_id UNIQUE (tenant_id, id),
    CONSTRAINT uq_tags_tenant_name UNIQUE (tenant_id, name)
)
table tenants: CREATE TABLE tenants (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    name TEXT NOT NULL CHECK (length(name) <= 255),
    domain TEXT CHECK ((domain IS NULL OR length(domain) <= 255)),
    custom_domain TEXT CHECK ((custom_domain IS NULL OR length(custom_domain) <= 255)),
    plan_type TEXT NOT NULL DEFAULT 'FREE' CHECK (plan_type IN ('FREE', 'STARTER', 'PROFESSIONAL', 'ENTERPRISE')),
    status TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'TRIAL', 'SUSPENDED', 'CANCELLED')),
    max_users INTEGER NOT NULL DEFAULT 5 CHECK (typeof(max_users) = 'integer' AND max_users >= 0),
    max_conversations INTEGER NOT NULL DEFAULT 100 CHECK (typeof(max_conversations) = 'integer' AND max_conversations >= 0),
    max_storage_mb INTEGER NOT NULL DEFAULT 1000 CHECK (typeof(max_storage_mb) = 'integer' AND max_storage_mb >= 0),
    features TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(features) AND json_type(features) = 'object'),
    settings TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings) AND json_type(settings) = 'object'),
    created_by BLOB CHECK ((created_by IS NULL OR typeof(created_by) = 'blob' AND length(created_by) = 16)),
    updated_by BLOB CHECK ((updated_by IS NULL OR typeof(updated_by) = 'blob' AND length(updated_by) = 16)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(updated_at) IS NOT NULL), timezone TEXT NOT NULL DEFAULT 'Europe/London' CHECK (length(timezone) <= 64), working_hours TEXT NOT NULL DEFAULT '{"monday":{"start":"09:00","end":"17:00"},"tuesday":{"start":"09:00","end":"17:00"},"wednesday":{"start":"09:00","end":"17:00"},"thursday":{"start":"09:00","end":"17:00"},"friday":{"start":"09:00","end":"17:00"},"saturday":null,"sunday":null}' CHECK (json_valid(working_hours) AND json_type(working_hours) = 'object'), sla_policies TEXT NOT NULL DEFAULT '{"response_time":15,"resolution_time":480,"business_hours_only":true}' CHECK (json_valid(sla_policies) AND json_type(sla_policies) = 'object'),
    PRIMARY KEY (id)
)
table user_sessions: CREATE TABLE user_sessions (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL CHECK (typeof(user_id) = 'blob' AND length(user_id) = 16),
    session_token TEXT NOT NULL CHECK (length(session_token) <= 255),
    ip_address TEXT,
    user_agent TEXT,
    is_active BOOLEAN NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    expires_at TEXT NOT NULL CHECK (julianday(expires_at) IS NOT NULL),
    last_activity_at TEXT CHECK ((last_activity_at IS NULL OR julianday(last_activity_at) IS NOT NULL)),
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(updated_at) IS NOT NULL),
    PRIMARY KEY (id),
    CONSTRAINT uq_user_sessions_token UNIQUE (session_token),
    CHECK (expires_at > created_at),
    FOREIGN KEY (tenant_id, user_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE
)
table users: CREATE TABLE users (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    email TEXT NOT NULL CHECK (length(email) <= 255),
    password_hash TEXT CHECK ((password_hash IS NULL OR length(password_hash) <= 255)),
    first_name TEXT NOT NULL CHECK (length(first_name) <= 100),
    last_name TEXT NOT NULL CHECK (length(last_name) <= 100),
    role TEXT NOT NULL DEFAULT 'AGENT' CHECK (role IN ('SUPER_ADMIN', 'TENANT_ADMIN', 'SUPERVISOR', 'AGENT')),
    status TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'INACTIVE', 'SUSPENDED', 'INVITED')),
    avatar_url TEXT CHECK ((avatar_url IS NULL OR length(avatar_url) <= 500)),
    preferences TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(preferences) AND json_type(preferences) = 'object'),
    last_login_at TEXT CHECK ((last_login_at IS NULL OR julianday(last_login_at) IS NOT NULL)),
    created_by BLOB CHECK ((created_by IS NULL OR typeof(created_by) = 'blob' AND length(created_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    updated_by BLOB CHECK ((updated_by IS NULL OR typeof(updated_by) = 'blob' AND length(updated_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(updated_at) IS NOT NULL), working_hours TEXT NOT NULL DEFAULT '{"monday":{"start":"09:00","end":"17:00"},"tuesday":{"start":"09:00","end":"17:00"},"wednesday":{"start":"09:00","end":"17:00"},"thursday":{"start":"09:00","end":"17:00"},"friday":{"start":"09:00","end":"17:00"},"saturday":null,"sunday":null}' CHECK (json_valid(working_hours) AND json_type(working_hours) = 'object'), skills TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(skills) AND json_type(skills) = 'array'), availability_status TEXT NOT NULL DEFAULT 'ONLINE' CHECK (availability_status IN ('ONLINE', 'AWAY', 'BUSY', 'OFFLINE')),
    PRIMARY KEY (id),
    CONSTRAINT uq_users_tenant_id_id UNIQUE (tenant_id, id)
)
table webhooks: CREATE TABLE webhooks (
    id BLOB NOT NULL CHECK (typeof(id) = 'blob' AND length(id) = 16),
    tenant_id BLOB NOT NULL CHECK (typeof(tenant_id) = 'blob' AND length(tenant_id) = 16) REFERENCES tenants (id) ON DELETE CASCADE,
    name TEXT NOT NULL CHECK (length(name) <= 255),
    url TEXT NOT NULL CHECK (length(url) <= 500 AND (url GLOB 'http://*' OR url GLOB 'https://*')),
    events TEXT NOT NULL CHECK (json_valid(events) AND json_type(events) = 'array' AND json_array_length(events) > 0),
    is_active BOOLEAN NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    secret_key TEXT NOT NULL CHECK (length(secret_key) <= 255),
    headers TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(headers) AND json_type(headers) = 'object'),
    retry_count INTEGER NOT NULL DEFAULT 3 CHECK (typeof(retry_count) = 'integer' AND retry_count BETWEEN 0 AND 10),
    last_triggered_at TEXT CHECK ((last_triggered_at IS NULL OR julianday(last_triggered_at) IS NOT NULL)),
    created_by BLOB CHECK ((created_by IS NULL OR typeof(created_by) = 'blob' AND length(created_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    updated_by BLOB CHECK ((updated_by IS NULL OR typeof(updated_by) = 'blob' AND length(updated_by) = 16)) REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(created_at) IS NOT NULL),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')) CHECK (julianday(updated_at) IS NOT NULL),
    PRIMARY KEY (id)
)
trigger trg_automations_touch_updated_at: CREATE TRIGGER trg_automations_touch_updated_at AFTER UPDATE ON automations FOR EACH ROW
BEGIN
    UPDATE automations SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END
trigger trg_conversations_assigned_agent_id_parent_tenant: CREATE TRIGGER trg_conversations_assigned_agent_id_parent_tenant BEFORE UPDATE OF tenant_id ON users FOR EACH ROW WHEN EXISTS (SELECT 1 FROM conversations c WHERE c.assigned_agent_id = NEW.id AND c.tenant_id <> NEW.tenant_id)
BEGIN
    SELECT RAISE(ABORT, 'users row is still referenced by conversations.assigned_agent_id of its tenant');
END
trigger trg_conversations_assigned_agent_id_same_tenant_on_insert: CREATE TRIGGER trg_conversations_assigned_agent_id_same_tenant_on_insert BEFORE INSERT ON conversations FOR EACH ROW WHEN NEW.assigned_agent_id IS NOT NULL AND EXISTS (SELECT 1 FROM users p WHERE p.id = NEW.assigned_agent_id AND p.tenant_id <> NEW.tenant_id)
BEGIN
    SELECT RAISE(ABORT, 'conversations.assigned_agent_id must reference a users row of the same tenant');
END
trigger trg_conversations_assigned_agent_id_same_tenant_on_update: CREATE TRIGGER trg_conversations_assigned_agent_id_same_tenant_on_update BEFORE UPDATE OF tenant_id, assigned_agent_id ON conversations FOR EACH ROW WHEN NEW.assigned_agent_id IS NOT NULL AND EXISTS (SELECT 1 FROM users p WHERE p.id = NEW.assigned_agent_id AND p.tenant_id <> NEW.tenant_id)
BEGIN
    SELECT RAISE(ABORT, 'conversations.assigned_agent_id must reference a users row of the same tenant');
END
trigger trg_conversations_guard_computed: CREATE TRIGGER trg_conversations_guard_computed AFTER UPDATE OF priority_score, sla_deadline ON conversations FOR EACH ROW
WHEN NEW.priority_score IS NOT (CASE NEW.priority WHEN 'LOW' THEN 25 WHEN 'MEDIUM' THEN 50 WHEN 'HIGH' THEN 100 WHEN 'URGENT' THEN 150 ELSE 0 END + 25 * NEW.escalation_level + max(0, (unixepoch('now') - unixepoch(NEW.created_at)) / 3600))
    OR (OLD.sla_deadline IS NOT NULL AND NEW.sla_deadline IS NOT OLD.sla_deadline)
BEGIN
    UPDATE conversations SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), priority_score = (CASE NEW.priority WHEN 'LOW' THEN 25 WHEN 'MEDIUM' THEN 50 WHEN 'HIGH' THEN 100 WHEN 'URGENT' THEN 150 ELSE 0 END + 25 * NEW.escalation_level + max(0, (unixepoch('now') - unixepoch(NEW.created_at)) / 3600)) WHERE id = NEW.id;
END
trigger trg_conversations_score_on_insert: CREATE TRIGGER trg_conversations_score_on_insert AFTER INSERT ON conversations FOR EACH ROW
BEGIN
    UPDATE conversations SET priority_score = (CASE NEW.priority WHEN 'LOW' THEN 25 WHEN 'MEDIUM' THEN 50 WHEN 'HIGH' THEN 100 WHEN 'URGENT' THEN 150 ELSE 0 END + 25 * NEW.escalation_level + max(0, (unixepoch('now') - unixepoch(NEW.created_at)) / 3600)) WHERE id = NEW.id;
    UPDATE conversations SET sla_deadline = (SELECT CASE WHEN NEW.created_at GLOB '????-??-??T??:??:*+00:00' THEN strftime('%Y-%m-%dT%H:%M', NEW.created_at, '+' || CAST(json_extract(t.sla_policies, '$.resolution_time') AS INTEGER) || ' minutes') || substr(NEW.created_at, 17) ELSE strftime('%Y-%m-%dT%H:%M:%f+00:00', NEW.created_at, '+' || CAST(json_extract(t.sla_policies, '$.resolution_time') AS INTEGER) || ' minutes') END FROM tenants t WHERE t.id = NEW.tenant_id AND json_type(t.sla_policies, '$.resolution_time') IN ('integer', 'real')) WHERE id = NEW.id AND sla_deadline IS NULL;
END
trigger trg_conversations_touch_and_score: CREATE TRIGGER trg_conversations_touch_and_score AFTER UPDATE OF id, tenant_id, customer_id, assigned_agent_id, status, priority, subject, custom_attributes, resolved_at, created_by, updated_by, created_at, estimated_resolution_time, escalation_level ON conversations FOR EACH ROW
BEGIN
    UPDATE conversations SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now'), priority_score = (CASE NEW.priority WHEN 'LOW' THEN 25 WHEN 'MEDIUM' THEN 50 WHEN 'HIGH' THEN 100 WHEN 'URGENT' THEN 150 ELSE 0 END + 25 * NEW.escalation_level + max(0, (unixepoch('now') - unixepoch(NEW.created_at)) / 3600)) WHERE id = NEW.id;
END
trigger trg_customers_touch_updated_at: CREATE TRIGGER trg_customers_touch_updated_at AFTER UPDATE ON customers FOR EACH ROW
BEGIN
    UPDATE customers SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END
trigger trg_messages_touch_updated_at: CREATE TRIGGER trg_messages_touch_updated_at AFTER UPDATE ON messages FOR EACH ROW
BEGIN
    UPDATE messages SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END
trigger trg_notification_settings_touch_updated_at: CREATE TRIGGER trg_notification_settings_touch_updated_at AFTER UPDATE ON notification_settings FOR EACH ROW
BEGIN
    UPDATE notification_settings SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END
trigger trg_subscriptions_touch_updated_at: CREATE TRIGGER trg_subscriptions_touch_updated_at AFTER UPDATE ON subscriptions FOR EACH ROW
BEGIN
    UPDATE subscriptions SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END
trigger trg_tenants_touch_updated_at: CREATE TRIGGER trg_tenants_touch_updated_at AFTER UPDATE ON tenants FOR EACH ROW
BEGIN
    UPDATE tenants SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END
trigger trg_user_sessions_touch_updated_at: CREATE TRIGGER trg_user_sessions_touch_updated_at AFTER UPDATE ON user_sessions FOR EACH ROW
BEGIN
    UPDATE user_sessions SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END
trigger trg_users_touch_updated_at: CREATE TRIGGER trg_users_touch_updated_at AFTER UPDATE ON users FOR EACH ROW
BEGIN
    UPDATE users SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END
trigger trg_webhooks_touch_updated_at: CREATE TRIGGER trg_webhooks_touch_updated_at AFTER UPDATE ON webhooks FOR EACH ROW
BEGIN
    UPDATE webhooks SET updated_at = strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now') WHERE id = NEW.id;
END
