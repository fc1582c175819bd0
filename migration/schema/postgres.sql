-- columns
audit_logs.id uuid NOT NULL DEFAULT gen_random_uuid()
audit_logs.tenant_id uuid
audit_logs.user_id uuid
audit_logs.action character varying(100) NOT NULL
audit_logs.entity_type character varying(50) NOT NULL
audit_logs.entity_id uuid NOT NULL
audit_logs.old_values jsonb NOT NULL DEFAULT '{}'::jsonb
audit_logs.new_values jsonb NOT NULL DEFAULT '{}'::jsonb
audit_logs.ip_address text
audit_logs.user_agent text
audit_logs.created_at timestamp with time zone NOT NULL DEFAULT now()
automations.id uuid NOT NULL DEFAULT gen_random_uuid()
automations.tenant_id uuid NOT NULL
automations.name character varying(255) NOT NULL
automations.description text
automations.trigger_type text NOT NULL
automations.trigger_conditions jsonb NOT NULL DEFAULT '{}'::jsonb
automations.actions jsonb NOT NULL
automations.is_active boolean NOT NULL DEFAULT true
automations.priority integer(32,0) NOT NULL DEFAULT 0
automations.created_by uuid
automations.updated_by uuid
automations.created_at timestamp with time zone NOT NULL DEFAULT now()
automations.updated_at timestamp with time zone NOT NULL DEFAULT now()
conversation_tags.tenant_id uuid NOT NULL
conversation_tags.conversation_id uuid NOT NULL
conversation_tags.tag_id uuid NOT NULL
conversation_tags.created_by uuid
conversation_tags.created_at timestamp with time zone NOT NULL DEFAULT now()
conversations.id uuid NOT NULL DEFAULT gen_random_uuid()
conversations.tenant_id uuid NOT NULL
conversations.customer_id uuid NOT NULL
conversations.assigned_agent_id uuid
conversations.status text NOT NULL DEFAULT 'OPEN'::text
conversations.priority text NOT NULL DEFAULT 'MEDIUM'::text
conversations.subject character varying(500)
conversations.custom_attributes jsonb NOT NULL DEFAULT '{}'::jsonb
conversations.resolved_at timestamp with time zone
conversations.created_by uuid
conversations.updated_by uuid
conversations.created_at timestamp with time zone NOT NULL DEFAULT now()
conversations.updated_at timestamp with time zone NOT NULL DEFAULT now()
conversations.priority_score integer(32,0) NOT NULL DEFAULT 0
conversations.estimated_resolution_time integer(32,0)
conversations.sla_deadline timestamp with time zone
conversations.escalation_level integer(32,0) NOT NULL DEFAULT 0
customer_tags.tenant_id uuid NOT NULL
customer_tags.customer_id uuid NOT NULL
customer_tags.tag_id uuid NOT NULL
customer_tags.created_by uuid
customer_tags.created_at timestamp with time zone NOT NULL DEFAULT now()
customers.id uuid NOT NULL DEFAULT gen_random_uuid()
customers.tenant_id uuid NOT NULL
customers.email character varying(255)
customers.phone character varying(50)
customers.first_name character varying(100)
customers.last_name character varying(100)
customers.avatar_url character varying(500)
customers.custom_attributes jsonb NOT NULL DEFAULT '{}'::jsonb
customers.status text NOT NULL DEFAULT 'ACTIVE'::text
customers.created_by uuid
customers.updated_by uuid
customers.created_at timestamp with time zone NOT NULL DEFAULT now()
customers.updated_at timestamp with time zone NOT NULL DEFAULT now()
file_attachments.id uuid NOT NULL DEFAULT gen_random_uuid()
file_attachments.tenant_id uuid NOT NULL
file_attachments.message_id uuid NOT NULL
file_attachments.file_name character varying(255) NOT NULL
file_attachments.file_path character varying(500) NOT NULL
file_attachments.file_size bigint(64,0) NOT NULL
file_attachments.mime_type character varying(100) NOT NULL
file_attachments.file_hash character varying(64)
file_attachments.storage_provider text NOT NULL DEFAULT 'LOCAL'::text
file_attachments.storage_metadata jsonb NOT NULL DEFAULT '{}'::jsonb
file_attachments.created_by uuid
file_attachments.created_at timestamp with time zone NOT NULL DEFAULT now()
messages.id uuid NOT NULL DEFAULT gen_random_uuid()
messages.tenant_id uuid NOT NULL
messages.conversation_id uuid NOT NULL
messages.sender_type text NOT NULL
messages.sender_id uuid
messages.content text NOT NULL
messages.message_type text NOT NULL DEFAULT 'TEXT'::text
messages.metadata jsonb NOT NULL DEFAULT '{}'::jsonb
messages.is_read boolean NOT NULL DEFAULT false
messages.read_at timestamp with time zone
messages.created_at timestamp with time zone NOT NULL DEFAULT now()
messages.updated_at timestamp with time zone NOT NULL DEFAULT now()
notification_settings.id uuid NOT NULL DEFAULT gen_random_uuid()
notification_settings.tenant_id uuid NOT NULL
notification_settings.user_id uuid NOT NULL
notification_settings.email_notifications boolean NOT NULL DEFAULT true
notification_settings.push_notifications boolean NOT NULL DEFAULT true
notification_settings.sms_notifications boolean NOT NULL DEFAULT false
notification_settings.notification_types jsonb NOT NULL DEFAULT '{"message_received": true, "new_conversation": true, "conversation_assigned": true}'::jsonb
notification_settings.quiet_hours jsonb NOT NULL DEFAULT '{"end": "08:00", "start": "22:00", "enabled": false}'::jsonb
notification_settings.created_at timestamp with time zone NOT NULL DEFAULT now()
notification_settings.updated_at timestamp with time zone NOT NULL DEFAULT now()
performance_metrics.id uuid NOT NULL DEFAULT gen_random_uuid()
performance_metrics.tenant_id uuid NOT NULL
performance_metrics.user_id uuid
performance_metrics.metric_type character varying(50) NOT NULL
performance_metrics.metric_value numeric(10,2) NOT NULL
performance_metrics.metric_unit character varying(20) NOT NULL
performance_metrics.period_start timestamp with time zone NOT NULL
performance_metrics.period_end timestamp with time zone NOT NULL
performance_metrics.metadata jsonb NOT NULL DEFAULT '{}'::jsonb
performance_metrics.created_at timestamp with time zone NOT NULL DEFAULT now()
subscriptions.id uuid NOT NULL DEFAULT gen_random_uuid()
subscriptions.tenant_id uuid NOT NULL
subscriptions.plan_type text NOT NULL DEFAULT 'FREE'::text
subscriptions.status text NOT NULL DEFAULT 'ACTIVE'::text
subscriptions.current_period_start timestamp with time zone NOT NULL
subscriptions.current_period_end timestamp with time zone NOT NULL
subscriptions.cancel_at_period_end boolean NOT NULL DEFAULT false
subscriptions.cancelled_at timestamp with time zone
subscriptions.stripe_subscription_id character varying(255)
subscriptions.paypal_subscription_id character varying(255)
subscriptions.amount numeric(10,2) NOT NULL
subscriptions.currency character varying(3) NOT NULL DEFAULT 'GBP'::character varying
subscriptions.created_at timestamp with time zone NOT NULL DEFAULT now()
subscriptions.updated_at timestamp with time zone NOT NULL DEFAULT now()
tags.id uuid NOT NULL DEFAULT gen_random_uuid()
tags.tenant_id uuid NOT NULL
tags.name character varying(100) NOT NULL
tags.colour character varying(7) NOT NULL DEFAULT '#3B82F6'::character varying
tags.description text
tags.usage_count integer(32,0) NOT NULL DEFAULT 0
tags.created_by uuid
tags.created_at timestamp with time zone NOT NULL DEFAULT now()
tenants.id uuid NOT NULL DEFAULT gen_random_uuid()
tenants.name character varying(255) NOT NULL
tenants.domain character varying(255)
tenants.custom_domain character varying(255)
tenants.plan_type text NOT NULL DEFAULT 'FREE'::text
tenants.status text NOT NULL DEFAULT 'ACTIVE'::text
tenants.max_users integer(32,0) NOT NULL DEFAULT 5
tenants.max_conversations integer(32,0) NOT NULL DEFAULT 100
tenants.max_storage_mb integer(32,0) NOT NULL DEFAULT 1000
tenants.features jsonb NOT NULL DEFAULT '{}'::jsonb
tenants.settings jsonb NOT NULL DEFAULT '{}'::jsonb
tenants.created_by uuid
tenants.updated_by uuid
tenants.created_at timestamp with time zone NOT NULL DEFAULT now()
tenants.updated_at timestamp with time zone NOT NULL DEFAULT now()
tenants.timezone character varying(64) NOT NULL DEFAULT 'Europe/London'::character varying
tenants.working_hours jsonb NOT NULL DEFAULT '{"friday": {"end": "17:00", "start": "09:00"}, "monday": {"end": "17:00", "start": "09:00"}, "sunday": null, "tuesday": {"end": "17:00", "start": "09:00"}, "saturday": null, "thursday": {"end": "17:00", "start": "09:00"}, "wednesday": {"end": "17:00", "start": "09:00"}}'::jsonb
tenants.sla_policies jsonb NOT NULL DEFAULT '{"response_time": 15, "resolution_time": 480, "business_hours_only": true}'::jsonb
user_sessions.id uuid NOT NULL DEFAULT gen_random_uuid()
user_sessions.tenant_id uuid NOT NULL
user_sessions.user_id uuid NOT NULL
user_sessions.session_token character varying(255) NOT NULL
user_sessions.ip_address text
user_sessions.user_agent text
user_sessions.is_active boolean NOT NULL DEFAULT true
user_sessions.expires_at timestamp with time zone NOT NULL
user_sessions.last_activity_at timestamp with time zone
user_sessions.created_at timestamp with time zone NOT NULL DEFAULT now()
user_sessions.updated_at timestamp with time zone NOT NULL DEFAULT now()
users.id uuid NOT NULL DEFAULT gen_random_uuid()
users.tenant_id uuid NOT NULL
users.email character varying(255) NOT NULL
users.password_hash character varying(255)
users.first_name character varying(100) NOT NULL
users.last_name character varying(100) NOT NULL
users.role text NOT NULL DEFAULT 'AGENT'::text
users.status text NOT NULL DEFAULT 'ACTIVE'::text
users.avatar_url character varying(500)
users.preferences jsonb NOT NULL DEFAULT '{}'::jsonb
users.last_login_at timestamp with time zone
users.created_by uuid
users.updated_by uuid
users.created_at timestamp with time zone NOT NULL DEFAULT now()
users.updated_at timestamp with time zone NOT NULL DEFAULT now()
users.working_hours jsonb NOT NULL DEFAULT '{"friday": {"end": "17:00", "start": "09:00"}, "monday": {"end": "17:00", "start": "09:00"}, "sunday": null, "tuesday": {"end": "17:00", "start": "09:00"}, "saturday": null, "thursday": {"end": "17:00", "start": "09:00"}, "wednesday": {"end": "17:00", "start": "09:00"}}'::jsonb
users.skills jsonb NOT NULL DEFAULT '[]'::jsonb
users.availability_status text NOT NULL DEFAULT 'ONLINE'::text
webhooks.id uuid NOT NULL DEFAULT gen_random_uuid()
webhooks.tenant_id uuid NOT NULL
webhooks.name character varying(255) NOT NULL
webhooks.url character varying(500) NOT NULL
webhooks.events jsonb NOT NULL
webhooks.is_active boolean NOT NULL DEFAULT true
webhooks.secret_key character varying(255) NOT NULL
webhooks.headers jsonb NOT NULL DEFAULT '{}'::jsonb
webhooks.retry_count integer(32,0) NOT NULL DEFAULT 3
webhooks.last_triggered_at timestamp with time zone
webhooks.created_by uuid
webhooks.updated_by uuid
webhooks.created_at timestamp with time zone NOT NULL DEFAULT now()
webhooks.updated_at timestamp with time zone NOT NULL DEFAULT now()
-- constraints
audit_logs audit_logs_ip_address_check CHECK (((ip_address IS NULL) OR ((ip_address)::inet IS NOT NULL)))
audit_logs audit_logs_new_values_check CHECK ((jsonb_typeof(new_values) = 'object'::text))
audit_logs audit_logs_old_values_check CHECK ((jsonb_typeof(old_values) = 'object'::text))
audit_logs audit_logs_pkey PRIMARY KEY (id)
audit_logs audit_logs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
audit_logs audit_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL
automations automations_actions_check CHECK ((jsonb_typeof(actions) = 'array'::text))
automations automations_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
automations automations_pkey PRIMARY KEY (id)
automations automations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
automations automations_trigger_conditions_check CHECK ((jsonb_typeof(trigger_conditions) = 'object'::text))
automations automations_trigger_type_check CHECK ((trigger_type = ANY (ARRAY['MESSAGE'::text, 'CONVERSATION'::text, 'SCHEDULE'::text, 'WEBHOOK'::text])))
automations automations_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL
conversation_tags conversation_tags_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
conversation_tags conversation_tags_pkey PRIMARY KEY (conversation_id, tag_id)
conversation_tags conversation_tags_tenant_id_conversation_id_fkey FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations(tenant_id, id) ON DELETE CASCADE
conversation_tags conversation_tags_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
conversation_tags conversation_tags_tenant_id_tag_id_fkey FOREIGN KEY (tenant_id, tag_id) REFERENCES tags(tenant_id, id) ON DELETE CASCADE
conversations conversations_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
conversations conversations_custom_attributes_check CHECK ((jsonb_typeof(custom_attributes) = 'object'::text))
conversations conversations_escalation_level_check CHECK (((escalation_level >= 0) AND (escalation_level <= 10)))
conversations conversations_estimated_resolution_time_check CHECK ((estimated_resolution_time >= 0))
conversations conversations_pkey PRIMARY KEY (id)
conversations conversations_priority_check CHECK ((priority = ANY (ARRAY['LOW'::text, 'MEDIUM'::text, 'HIGH'::text, 'URGENT'::text])))
conversations conversations_status_check CHECK ((status = ANY (ARRAY['OPEN'::text, 'IN_PROGRESS'::text, 'PENDING'::text, 'RESOLVED'::text, 'CLOSED'::text])))
conversations conversations_tenant_id_assigned_agent_id_fkey FOREIGN KEY (tenant_id, assigned_agent_id) REFERENCES users(tenant_id, id) ON DELETE SET NULL (assigned_agent_id)
conversations conversations_tenant_id_customer_id_fkey FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id) ON DELETE CASCADE
conversations conversations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
conversations conversations_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL
conversations uq_conversations_tenant_id_id UNIQUE (tenant_id, id)
customer_tags customer_tags_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
customer_tags customer_tags_pkey PRIMARY KEY (customer_id, tag_id)
customer_tags customer_tags_tenant_id_customer_id_fkey FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id) ON DELETE CASCADE
customer_tags customer_tags_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
customer_tags customer_tags_tenant_id_tag_id_fkey FOREIGN KEY (tenant_id, tag_id) REFERENCES tags(tenant_id, id) ON DELETE CASCADE
customers customers_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
customers customers_custom_attributes_check CHECK ((jsonb_typeof(custom_attributes) = 'object'::text))
customers customers_pkey PRIMARY KEY (id)
customers customers_status_check CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'INACTIVE'::text, 'BLOCKED'::text])))
customers customers_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
customers customers_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL
customers uq_customers_tenant_id_id UNIQUE (tenant_id, id)
file_attachments file_attachments_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
file_attachments file_attachments_file_size_check CHECK ((file_size >= 0))
file_attachments file_attachments_pkey PRIMARY KEY (id)
file_attachments file_attachments_storage_metadata_check CHECK ((jsonb_typeof(storage_metadata) = 'object'::text))
file_attachments file_attachments_storage_provider_check CHECK ((storage_provider = ANY (ARRAY['LOCAL'::text, 'S3'::text, 'GCS'::text, 'AZURE'::text])))
file_attachments file_attachments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
file_attachments file_attachments_tenant_id_message_id_fkey FOREIGN KEY (tenant_id, message_id) REFERENCES messages(tenant_id, id) ON DELETE CASCADE
messages messages_message_type_check CHECK ((message_type = ANY (ARRAY['TEXT'::text, 'IMAGE'::text, 'FILE'::text, 'AUDIO'::text, 'VIDEO'::text, 'LOCATION'::text])))
messages messages_metadata_check CHECK ((jsonb_typeof(metadata) = 'object'::text))
messages messages_pkey PRIMARY KEY (id)
messages messages_sender_type_check CHECK ((sender_type = ANY (ARRAY['USER'::text, 'CUSTOMER'::text, 'SYSTEM'::text, 'AI'::text])))
messages messages_tenant_id_conversation_id_fkey FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations(tenant_id, id) ON DELETE CASCADE
messages messages_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
messages uq_messages_tenant_id_id UNIQUE (tenant_id, id)
notification_settings notification_settings_notification_types_check CHECK ((jsonb_typeof(notification_types) = 'object'::text))
notification_settings notification_settings_pkey PRIMARY KEY (id)
notification_settings notification_settings_quiet_hours_check CHECK ((jsonb_typeof(quiet_hours) = 'object'::text))
notification_settings notification_settings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
notification_settings notification_settings_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
notification_settings uq_notification_settings_user UNIQUE (user_id)
performance_metrics performance_metrics_check CHECK ((period_end >= period_start))
performance_metrics performance_metrics_metadata_check CHECK ((jsonb_typeof(metadata) = 'object'::text))
performance_metrics performance_metrics_pkey PRIMARY KEY (id)
performance_metrics performance_metrics_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
performance_metrics performance_metrics_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL
subscriptions subscriptions_amount_check CHECK ((amount >= (0)::numeric))
subscriptions subscriptions_check CHECK ((current_period_end > current_period_start))
subscriptions subscriptions_currency_check CHECK (((currency)::text ~ '^[A-Z]{3}$'::text))
subscriptions subscriptions_pkey PRIMARY KEY (id)
subscriptions subscriptions_plan_type_check CHECK ((plan_type = ANY (ARRAY['FREE'::text, 'STARTER'::text, 'PROFESSIONAL'::text, 'ENTERPRISE'::text])))
subscriptions subscriptions_status_check CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'TRIALING'::text, 'PAST_DUE'::text, 'CANCELLED'::text, 'EXPIRED'::text])))
subscriptions subscriptions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
tags tags_colour_check CHECK (((colour)::text ~ '^#[0-9A-Fa-f]{6}$'::text))
tags tags_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
tags tags_pkey PRIMARY KEY (id)
tags tags_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
tags tags_usage_count_check CHECK ((usage_count >= 0))
tags uq_tags_tenant_id_id UNIQUE (tenant_id, id)
tags uq_tags_tenant_name UNIQUE (tenant_id, name)
tenants tenants_features_check CHECK ((jsonb_typeof(features) = 'object'::text))
tenants tenants_max_conversations_check CHECK ((max_conversations >= 0))
tenants tenants_max_storage_mb_check CHECK ((max_storage_mb >= 0))
tenants tenants_max_users_check CHECK ((max_users >= 0))
tenants tenants_pkey PRIMARY KEY (id)
tenants tenants_plan_type_check CHECK ((plan_type = ANY (ARRAY['FREE'::text, 'STARTER'::text, 'PROFESSIONAL'::text, 'ENTERPRISE'::text])))
tenants tenants_settings_check CHECK ((jsonb_typeof(settings) = 'object'::text))
tenants tenants_sla_policies_check CHECK ((jsonb_typeof(sla_policies) = 'object'::text))
tenants tenants_status_check CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'TRIAL'::text, 'SUSPENDED'::text, 'CANCELLED'::text])))
tenants tenants_working_hours_check CHECK ((jsonb_typeof(working_hours) = 'object'::text))
user_sessions uq_user_sessions_token UNIQUE (session_token)
user_sessions user_sessions_check CHECK ((expires_at > created_at))
user_sessions user_sessions_ip_address_check CHECK (((ip_address IS NULL) OR ((ip_address)::inet IS NOT NULL)))
user_sessions user_sessions_pkey PRIMARY KEY (id)
user_sessions user_sessions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
user_sessions user_sessions_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
users uq_users_tenant_id_id UNIQUE (tenant_id, id)
users users_availability_status_check CHECK ((availability_status = ANY (ARRAY['ONLINE'::text, 'AWAY'::text, 'BUSY'::text, 'OFFLINE'::text])))
users users_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
users users_pkey PRIMARY KEY (id)
users users_preferences_check CHECK ((jsonb_typeof(preferences) = 'object'::text))
users users_role_check CHECK ((role = ANY (ARRAY['SUPER_ADMIN'::text, 'TENANT_ADMIN'::text, 'SUPERVISOR'::text, 'AGENT'::text])))
users users_skills_check CHECK ((jsonb_typeof(skills) = 'array'::text))
users users_status_check CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'INACTIVE'::text, 'SUSPENDED'::text, 'INVITED'::text])))
users users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
users users_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL
users users_working_hours_check CHECK ((jsonb_typeof(working_hours) = 'object'::text))
webhooks webhooks_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
webhooks webhooks_events_check CHECK (((jsonb_typeof(events) = 'array'::text) AND (jsonb_array_length(events) > 0)))
webhooks webhooks_headers_check CHECK ((jsonb_typeof(headers) = 'object'::text))
webhooks webhooks_pkey PRIMARY KEY (id)
webhooks webhooks_retry_count_check CHECK (((retry_count >= 0) AND (retry_count <= 10)))
webhooks webhooks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
webhooks webhooks_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL
webhooks webhooks_url_check CHECK (((url)::text ~ '^https?://'::text))
-- indexs
CREATE UNIQUE INDEX audit_logs_pkey ON public.audit_logs USING btree (id)
CREATE UNIQUE INDEX automations_pkey ON public.automations USING btree (id)
CREATE UNIQUE INDEX conversation_tags_pkey ON public.conversation_tags USING btree (conversation_id, tag_id)
CREATE UNIQUE INDEX conversations_pkey ON public.conversations USING btree (id)
CREATE UNIQUE INDEX customer_tags_pkey ON public.customer_tags USING btree (customer_id, tag_id)
CREATE UNIQUE INDEX customers_pkey ON public.customers USING btree (id)
CREATE UNIQUE INDEX file_attachments_pkey ON public.file_attachments USING btree (id)
CREATE INDEX idx_audit_logs_entity ON public.audit_logs USING btree (entity_type, entity_id)
CREATE INDEX idx_audit_logs_tenant_time ON public.audit_logs USING btree (tenant_id, created_at)
CREATE INDEX idx_audit_logs_user_id ON public.audit_logs USING btree (user_id)
CREATE INDEX idx_automations_created_by ON public.automations USING btree (created_by)
CREATE INDEX idx_automations_is_active ON public.automations USING btree (is_active)
CREATE INDEX idx_automations_tenant_id ON public.automations USING btree (tenant_id)
CREATE INDEX idx_automations_trigger_type ON public.automations USING btree (trigger_type)
CREATE INDEX idx_automations_updated_by ON public.automations USING btree (updated_by)
CREATE INDEX idx_conversation_tags_conversation_id ON public.conversation_tags USING btree (conversation_id)
CREATE INDEX idx_conversation_tags_created_by ON public.conversation_tags USING btree (created_by)
CREATE INDEX idx_conversation_tags_tag_id ON public.conversation_tags USING btree (tag_id)
CREATE INDEX idx_conversation_tags_tenant_id ON public.conversation_tags USING btree (tenant_id)
CREATE INDEX idx_conversations_agent_queue ON public.conversations USING btree (tenant_id, priority_score DESC) WHERE (status = ANY (ARRAY['OPEN'::text, 'IN_PROGRESS'::text, 'PENDING'::text]))
CREATE INDEX idx_conversations_assigned_agent_id ON public.conversations USING btree (assigned_agent_id)
CREATE INDEX idx_conversations_created_at ON public.conversations USING btree (created_at)
CREATE INDEX idx_conversations_created_by ON public.conversations USING btree (created_by)
CREATE INDEX idx_conversations_custom_attributes ON public.conversations USING gin (custom_attributes)
CREATE INDEX idx_conversations_customer_id ON public.conversations USING btree (customer_id)
CREATE INDEX idx_conversations_sla_deadline ON public.conversations USING btree (sla_deadline)
CREATE INDEX idx_conversations_status ON public.conversations USING btree (status)
CREATE INDEX idx_conversations_tenant_id ON public.conversations USING btree (tenant_id)
CREATE INDEX idx_conversations_tenant_status_recent ON public.conversations USING btree (tenant_id, status, created_at DESC)
CREATE INDEX idx_conversations_updated_by ON public.conversations USING btree (updated_by)
CREATE INDEX idx_customer_tags_created_by ON public.customer_tags USING btree (created_by)
CREATE INDEX idx_customer_tags_customer_id ON public.customer_tags USING btree (customer_id)
CREATE INDEX idx_customer_tags_tag_id ON public.customer_tags USING btree (tag_id)
CREATE INDEX idx_customer_tags_tenant_id ON public.customer_tags USING btree (tenant_id)
CREATE INDEX idx_customers_created_by ON public.customers USING btree (created_by)
CREATE INDEX idx_customers_custom_attributes ON public.customers USING gin (custom_attributes)
CREATE INDEX idx_customers_status ON public.customers USING btree (status)
CREATE INDEX idx_customers_tenant_id ON public.customers USING btree (tenant_id)
CREATE INDEX idx_customers_updated_by ON public.customers USING btree (updated_by)
CREATE INDEX idx_file_attachments_created_by ON public.file_attachments USING btree (created_by)
CREATE INDEX idx_file_attachments_message_id ON public.file_attachments USING btree (message_id)
CREATE INDEX idx_file_attachments_tenant_id ON public.file_attachments USING btree (tenant_id)
CREATE INDEX idx_messages_conversation_id ON public.messages USING btree (conversation_id)
CREATE INDEX idx_messages_conversation_timeline ON public.messages USING btree (conversation_id, created_at)
CREATE INDEX idx_messages_created_at ON public.messages USING btree (created_at)
CREATE INDEX idx_messages_sender_type ON public.messages USING btree (sender_type)
CREATE INDEX idx_messages_tenant_id ON public.messages USING btree (tenant_id)
CREATE INDEX idx_notification_settings_tenant_id ON public.notification_settings USING btree (tenant_id)
CREATE INDEX idx_notification_settings_user_id ON public.notification_settings USING btree (user_id)
CREATE INDEX idx_performance_metrics_tenant_id ON public.performance_metrics USING btree (tenant_id)
CREATE INDEX idx_performance_metrics_tenant_type_period ON public.performance_metrics USING btree (tenant_id, metric_type, period_start)
CREATE INDEX idx_performance_metrics_user_id ON public.performance_metrics USING btree (user_id)
CREATE INDEX idx_subscriptions_period_end ON public.subscriptions USING btree (current_period_end)
CREATE INDEX idx_subscriptions_status ON public.subscriptions USING btree (status)
CREATE INDEX idx_subscriptions_tenant_id ON public.subscriptions USING btree (tenant_id)
CREATE INDEX idx_tags_created_by ON public.tags USING btree (created_by)
CREATE INDEX idx_tags_tenant_id ON public.tags USING btree (tenant_id)
CREATE INDEX idx_user_sessions_expires_at ON public.user_sessions USING btree (expires_at)
CREATE INDEX idx_user_sessions_tenant_id ON public.user_sessions USING btree (tenant_id)
CREATE INDEX idx_user_sessions_user_id ON public.user_sessions USING btree (user_id)
CREATE INDEX idx_users_created_by ON public.users USING btree (created_by)
CREATE INDEX idx_users_role ON public.users USING btree (role)
CREATE INDEX idx_users_status ON public.users USING btree (status)
CREATE INDEX idx_users_tenant_id ON public.users USING btree (tenant_id)
CREATE INDEX idx_users_updated_by ON public.users USING btree (updated_by)
CREATE INDEX idx_webhooks_created_by ON public.webhooks USING btree (created_by)
CREATE INDEX idx_webhooks_tenant_id ON public.webhooks USING btree (tenant_id)
CREATE INDEX idx_webhooks_updated_by ON public.webhooks USING btree (updated_by)
CREATE UNIQUE INDEX messages_pkey ON public.messages USING btree (id)
CREATE UNIQUE INDEX notification_settings_pkey ON public.notification_settings USING btree (id)
CREATE UNIQUE INDEX performance_metrics_pkey ON public.performance_metrics USING btree (id)
CREATE UNIQUE INDEX subscriptions_pkey ON public.subscriptions USING btree (id)
CREATE UNIQUE INDEX tags_pkey ON public.tags USING btree (id)
CREATE UNIQUE INDEX tenants_pkey ON public.tenants USING btree (id)
CREATE UNIQUE INDEX uq_conversations_tenant_id_id ON public.conversations USING btree (tenant_id, id)
CREATE UNIQUE INDEX uq_customers_tenant_email ON public.customers USING btree (tenant_id, lower((email)::text)) WHERE (email IS NOT NULL)
CREATE UNIQUE INDEX uq_customers_tenant_id_id ON public.customers USING btree (tenant_id, id)
CREATE UNIQUE INDEX uq_messages_tenant_id_id ON public.messages USING btree (tenant_id, id)
CREATE UNIQUE INDEX uq_notification_settings_user ON public.notification_settings USING btree (user_id)
CREATE UNIQUE INDEX uq_tags_tenant_id_id ON public.tags USING btree (tenant_id, id)
CREATE UNIQUE INDEX uq_tags_tenant_name ON public.tags USING btree (tenant_id, name)
CREATE UNIQUE INDEX uq_tenants_custom_domain ON public.tenants USING btree (custom_domain)
CREATE UNIQUE INDEX uq_tenants_domain ON public.tenants USING btree (domain)
CREATE UNIQUE INDEX uq_user_sessions_token ON public.user_sessions USING btree (session_token)
CREATE UNIQUE INDEX uq_users_tenant_email ON public.users USING btree (tenant_id, lower((email)::text))
CREATE UNIQUE INDEX uq_users_tenant_id_id ON public.users USING btree (tenant_id, id)
CREATE UNIQUE INDEX user_sessions_pkey ON public.user_sessions USING btree (id)
CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)
CREATE UNIQUE INDEX webhooks_pkey ON public.webhooks USING btree (id)
-- triggers
CREATE TRIGGER trg_automations_touch_updated_at BEFORE UPDATE ON public.automations FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER trg_conversations_compute_priority BEFORE INSERT OR UPDATE ON public.conversations FOR EACH ROW EXECUTE FUNCTION conversations_compute_priority()
CREATE TRIGGER trg_conversations_touch_updated_at BEFORE UPDATE ON public.conversations FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER trg_customers_touch_updated_at BEFORE UPDATE ON public.customers FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER trg_messages_touch_updated_at BEFORE UPDATE ON public.messages FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER trg_notification_settings_touch_updated_at BEFORE UPDATE ON public.notification_settings FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER trg_subscriptions_touch_updated_at BEFORE UPDATE ON public.subscriptions FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER trg_tenants_touch_updated_at BEFORE UPDATE ON public.tenants FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER trg_user_sessions_touch_updated_at BEFORE UPDATE ON public.user_sessions FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER trg_users_touch_updated_at BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
CREATE TRIGGER trg_webhooks_touch_updated_at BEFORE UPDATE ON public.webhooks FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
-- functions
CREATE OR REPLACE FUNCTION public.conversations_compute_priority()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    NEW.priority_score := CASE NEW.priority WHEN 'LOW' THEN 25 WHEN 'MEDIUM' THEN 50 WHEN 'HIGH' THEN 100 WHEN 'URGENT' THEN 150 ELSE 0 END + 25 * NEW.escalation_level + GREATEST(0, floor(extract(epoch FROM now() - NEW.created_at) / 3600))::integer;
    IF TG_OP = 'INSERT' AND NEW.sla_deadline IS NULL THEN
        NEW.sla_deadline := NEW.created_at + make_interval(mins => (SELECT CASE WHEN jsonb_typeof(t.sla_policies -> 'resolution_time') = 'number' THEN (t.sla_policies ->> 'resolution_time')::numeric::integer END FROM tenants t WHERE t.id = NEW.tenant_id));
    END IF;
    RETURN NEW;
END
$function$
CREATE OR REPLACE FUNCTION public.customers_with_email(wanted_tenant uuid, wanted_email text)
 RETURNS SETOF customers
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO '$user', 'public'
AS $function$
BEGIN
    RETURN QUERY SELECT * FROM customers
        WHERE tenant_id = wanted_tenant AND tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
          AND lower(email) = lower(wanted_email);
END
$function$
CREATE OR REPLACE FUNCTION public.touch_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$function$
CREATE OR REPLACE FUNCTION public.users_with_email(wanted_tenant uuid, wanted_email text)
 RETURNS SETOF users
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO '$user', 'public'
AS $function$
BEGIN
    RETURN QUERY SELECT * FROM users
        WHERE tenant_id = wanted_tenant AND tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
          AND lower(email) = lower(wanted_email);
END
$function$
-- row-security tables
audit_logs: enabled
automations: enabled
conversation_tags: enabled
conversations: enabled
customer_tags: enabled
customers: enabled
file_attachments: enabled
messages: enabled
notification_settings: enabled
performance_metrics: enabled
subscriptions: enabled
tags: enabled
tenants: enabled
user_sessions: enabled
users: enabled
webhooks: enabled
-- policies
audit_logs.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
automations.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
conversation_tags.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
conversations.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
customer_tags.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
customers.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
file_attachments.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
messages.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
notification_settings.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
performance_metrics.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
subscriptions.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
tags.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
tenants.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
user_sessions.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
users.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
webhooks.tenant_isolation: PERMISSIVE FOR ALL TO public USING ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)) WITH CHECK ((tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid))
-- comments
audit_logs: Append-only record of changes; tenant_id is NULL for system-wide events.
automations: Rules that act on messages, conversations, schedules or webhooks.
conversations.estimated_resolution_time: Minutes.
conversations.priority_score: Computed by trigger: priority base + 25 x escalation_level + whole hours open.
conversations.sla_deadline: Defaults on insert to created_at + the tenant's sla_policies.resolution_time minutes.
conversations: Support threads between a customer and a tenant's agents.
customers: People who write in to a tenant.
messages.sender_id: A users.id or customers.id, depending on sender_type.
messages: Messages of a conversation, in the conversation's tenant.
subscriptions: Billing subscriptions of tenants.
tags.usage_count: Number of customer and conversation links.
tags: Tags of a tenant; linked through customer_tags and conversation_tags.
tenants: Organisations using the platform; every tenant's data is isolated by tenant_id.
user_sessions.session_token: A hash of the session token, never the token itself.
users.password_hash: Argon2id PHC string; NULL for invited users without a password.
users: Agents and administrators of a tenant.
