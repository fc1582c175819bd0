-- column
audit_logs.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
audit_logs.tenant_id uuid
-- column
audit_logs.user_id uuid
-- column
audit_logs.action character varying(100) NOT NULL
-- column
audit_logs.entity_type character varying(50) NOT NULL
-- column
audit_logs.entity_id uuid NOT NULL
-- column
audit_logs.old_values jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
audit_logs.new_values jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
audit_logs.ip_address text
-- column
audit_logs.user_agent text
-- column
audit_logs.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
automations.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
automations.tenant_id uuid NOT NULL
-- column
automations.name character varying(255) NOT NULL
-- column
automations.description text
-- column
automations.trigger_type text NOT NULL
-- column
automations.trigger_conditions jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
automations.actions jsonb NOT NULL
-- column
automations.is_active boolean NOT NULL DEFAULT true
-- column
automations.priority integer(32,0) NOT NULL DEFAULT 0
-- column
automations.created_by uuid
-- column
automations.updated_by uuid
-- column
automations.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
automations.updated_at timestamp with time zone NOT NULL DEFAULT now()
-- column
conversation_tags.tenant_id uuid NOT NULL
-- column
conversation_tags.conversation_id uuid NOT NULL
-- column
conversation_tags.tag_id uuid NOT NULL
-- column
conversation_tags.created_by uuid
-- column
conversation_tags.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
conversations.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
conversations.tenant_id uuid NOT NULL
-- column
conversations.customer_id uuid NOT NULL
-- column
conversations.assigned_agent_id uuid
-- column
conversations.status text NOT NULL DEFAULT 'OPEN'::text
-- column
conversations.priority text NOT NULL DEFAULT 'MEDIUM'::text
-- column
conversations.subject character varying(500)
-- column
conversations.custom_attributes jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
conversations.resolved_at timestamp with time zone
-- column
conversations.created_by uuid
-- column
conversations.updated_by uuid
-- column
conversations.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
conversations.updated_at timestamp with time zone NOT NULL DEFAULT now()
-- column
conversations.priority_score integer(32,0) NOT NULL DEFAULT 0
-- column
conversations.estimated_resolution_time integer(32,0)
-- column
conversations.sla_deadline timestamp with time zone
-- column
conversations.escalation_level integer(32,0) NOT NULL DEFAULT 0
-- column
customer_tags.tenant_id uuid NOT NULL
-- column
customer_tags.customer_id uuid NOT NULL
-- column
customer_tags.tag_id uuid NOT NULL
-- column
customer_tags.created_by uuid
-- column
customer_tags.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
customers.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
customers.tenant_id uuid NOT NULL
-- column
customers.email character varying(255)
-- column
customers.phone character varying(50)
-- column
customers.first_name character varying(100)
-- column
customers.last_name character varying(100)
-- column
customers.avatar_url character varying(500)
-- column
customers.custom_attributes jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
customers.status text NOT NULL DEFAULT 'ACTIVE'::text
-- column
customers.created_by uuid
-- column
customers.updated_by uuid
-- column
customers.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
customers.updated_at timestamp with time zone NOT NULL DEFAULT now()
-- column
file_attachments.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
file_attachments.tenant_id uuid NOT NULL
-- column
file_attachments.message_id uuid NOT NULL
-- column
file_attachments.file_name character varying(255) NOT NULL
-- column
file_attachments.file_path character varying(500) NOT NULL
-- column
file_attachments.file_size bigint(64,0) NOT NULL
-- column
file_attachments.mime_type character varying(100) NOT NULL
-- column
file_attachments.file_hash character varying(64)
-- column
file_attachments.storage_provider text NOT NULL DEFAULT 'LOCAL'::text
-- column
file_attachments.storage_metadata jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
file_attachments.created_by uuid
-- column
file_attachments.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
messages.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
messages.tenant_id uuid NOT NULL
-- column
messages.conversation_id uuid NOT NULL
-- column
messages.sender_type text NOT NULL
-- column
messages.sender_id uuid
-- column
messages.content text NOT NULL
-- column
messages.message_type text NOT NULL DEFAULT 'TEXT'::text
-- column
messages.metadata jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
messages.is_read boolean NOT NULL DEFAULT false
-- column
messages.read_at timestamp with time zone
-- column
messages.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
messages.updated_at timestamp with time zone NOT NULL DEFAULT now()
-- column
notification_settings.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
notification_settings.tenant_id uuid NOT NULL
-- column
notification_settings.user_id uuid NOT NULL
-- column
notification_settings.email_notifications boolean NOT NULL DEFAULT true
-- column
notification_settings.push_notifications boolean NOT NULL DEFAULT true
-- column
notification_settings.sms_notifications boolean NOT NULL DEFAULT false
-- column
notification_settings.notification_types jsonb NOT NULL DEFAULT '{"message_received": true, "new_conversation": true, "conversation_assigned": true}'::jsonb
-- column
notification_settings.quiet_hours jsonb NOT NULL DEFAULT '{"end": "08:00", "start": "22:00", "enabled": false}'::jsonb
-- column
notification_settings.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
notification_settings.updated_at timestamp with time zone NOT NULL DEFAULT now()
-- column
performance_metrics.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
performance_metrics.tenant_id uuid NOT NULL
-- column
performance_metrics.user_id uuid
-- column
performance_metrics.metric_type character varying(50) NOT NULL
-- column
performance_metrics.metric_value numeric(10,2) NOT NULL
-- column
performance_metrics.metric_unit character varying(20) NOT NULL
-- column
performance_metrics.period_start timestamp with time zone NOT NULL
-- column
performance_metrics.period_end timestamp with time zone NOT NULL
-- column
performance_metrics.metadata jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
performance_metrics.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
seaql_migrations.version character varying NOT NULL
-- column
seaql_migrations.applied_at bigint(64,0) NOT NULL
-- column
subscriptions.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
subscriptions.tenant_id uuid NOT NULL
-- column
subscriptions.plan_type text NOT NULL DEFAULT 'FREE'::text
-- column
subscriptions.status text NOT NULL DEFAULT 'ACTIVE'::text
-- column
subscriptions.current_period_start timestamp with time zone NOT NULL
-- column
subscriptions.current_period_end timestamp with time zone NOT NULL
-- column
subscriptions.cancel_at_period_end boolean NOT NULL DEFAULT false
-- column
subscriptions.cancelled_at timestamp with time zone
-- column
subscriptions.stripe_subscription_id character varying(255)
-- column
subscriptions.paypal_subscription_id character varying(255)
-- column
subscriptions.amount numeric(10,2) NOT NULL
-- column
subscriptions.currency character varying(3) NOT NULL DEFAULT 'GBP'::character varying
-- column
subscriptions.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
subscriptions.updated_at timestamp with time zone NOT NULL DEFAULT now()
-- column
tags.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
tags.tenant_id uuid NOT NULL
-- column
tags.name character varying(100) NOT NULL
-- column
tags.colour character varying(7) NOT NULL DEFAULT '#3B82F6'::character varying
-- column
tags.description text
-- column
tags.usage_count integer(32,0) NOT NULL DEFAULT 0
-- column
tags.created_by uuid
-- column
tags.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
tenants.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
tenants.name character varying(255) NOT NULL
-- column
tenants.domain character varying(255)
-- column
tenants.custom_domain character varying(255)
-- column
tenants.plan_type text NOT NULL DEFAULT 'FREE'::text
-- column
tenants.status text NOT NULL DEFAULT 'ACTIVE'::text
-- column
tenants.max_users integer(32,0) NOT NULL DEFAULT 5
-- column
tenants.max_conversations integer(32,0) NOT NULL DEFAULT 100
-- column
tenants.max_storage_mb integer(32,0) NOT NULL DEFAULT 1000
-- column
tenants.features jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
tenants.settings jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
tenants.created_by uuid
-- column
tenants.updated_by uuid
-- column
tenants.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
tenants.updated_at timestamp with time zone NOT NULL DEFAULT now()
-- column
tenants.timezone character varying(64) NOT NULL DEFAULT 'Europe/London'::character varying
-- column
tenants.working_hours jsonb NOT NULL DEFAULT '{"friday": {"end": "17:00", "start": "09:00"}, "monday": {"end": "17:00", "start": "09:00"}, "sunday": null, "tuesday": {"end": "17:00", "start": "09:00"}, "saturday": null, "thursday": {"end": "17:00", "start": "09:00"}, "wednesday": {"end": "17:00", "start": "09:00"}}'::jsonb
-- column
tenants.sla_policies jsonb NOT NULL DEFAULT '{"response_time": 15, "resolution_time": 480, "business_hours_only": true}'::jsonb
-- column
user_sessions.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
user_sessions.tenant_id uuid NOT NULL
-- column
user_sessions.user_id uuid NOT NULL
-- column
user_sessions.session_token character varying(255) NOT NULL
-- column
user_sessions.ip_address text
-- column
user_sessions.user_agent text
-- column
user_sessions.is_active boolean NOT NULL DEFAULT true
-- column
user_sessions.expires_at timestamp with time zone NOT NULL
-- column
user_sessions.last_activity_at timestamp with time zone
-- column
user_sessions.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
user_sessions.updated_at timestamp with time zone NOT NULL DEFAULT now()
-- column
users.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
users.tenant_id uuid NOT NULL
-- column
users.email character varying(255) NOT NULL
-- column
users.password_hash character varying(255)
-- column
users.first_name character varying(100) NOT NULL
-- column
users.last_name character varying(100) NOT NULL
-- column
users.role text NOT NULL DEFAULT 'AGENT'::text
-- column
users.status text NOT NULL DEFAULT 'ACTIVE'::text
-- column
users.avatar_url character varying(500)
-- column
users.preferences jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
users.last_login_at timestamp with time zone
-- column
users.created_by uuid
-- column
users.updated_by uuid
-- column
users.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
users.updated_at timestamp with time zone NOT NULL DEFAULT now()
-- column
users.working_hours jsonb NOT NULL DEFAULT '{"friday": {"end": "17:00", "start": "09:00"}, "monday": {"end": "17:00", "start": "09:00"}, "sunday": null, "tuesday": {"end": "17:00", "start": "09:00"}, "saturday": null, "thursday": {"end": "17:00", "start": "09:00"}, "wednesday": {"end": "17:00", "start": "09:00"}}'::jsonb
-- column
users.skills jsonb NOT NULL DEFAULT '[]'::jsonb
-- column
users.availability_status text NOT NULL DEFAULT 'ONLINE'::text
-- column
webhooks.id uuid NOT NULL DEFAULT gen_random_uuid()
-- column
webhooks.tenant_id uuid NOT NULL
-- column
webhooks.name character varying(255) NOT NULL
-- column
webhooks.url character varying(500) NOT NULL
-- column
webhooks.events jsonb NOT NULL
-- column
webhooks.is_active boolean NOT NULL DEFAULT true
-- column
webhooks.secret_key character varying(255) NOT NULL
-- column
webhooks.headers jsonb NOT NULL DEFAULT '{}'::jsonb
-- column
webhooks.retry_count integer(32,0) NOT NULL DEFAULT 3
-- column
webhooks.last_triggered_at timestamp with time zone
-- column
webhooks.created_by uuid
-- column
webhooks.updated_by uuid
-- column
webhooks.created_at timestamp with time zone NOT NULL DEFAULT now()
-- column
webhooks.updated_at timestamp with time zone NOT NULL DEFAULT now()
-- constraint
audit_logs audit_logs_ip_address_check CHECK (((ip_address IS NULL) OR ((ip_address)::inet IS NOT NULL)))
-- constraint
audit_logs audit_logs_new_values_check CHECK ((jsonb_typeof(new_values) = 'object'::text))
-- constraint
audit_logs audit_logs_old_values_check CHECK ((jsonb_typeof(old_values) = 'object'::text))
-- constraint
audit_logs audit_logs_pkey PRIMARY KEY (id)
-- constraint
audit_logs audit_logs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
audit_logs audit_logs_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL
-- constraint
automations automations_actions_check CHECK ((jsonb_typeof(actions) = 'array'::text))
-- constraint
automations automations_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
automations automations_pkey PRIMARY KEY (id)
-- constraint
automations automations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
automations automations_trigger_conditions_check CHECK ((jsonb_typeof(trigger_conditions) = 'object'::text))
-- constraint
automations automations_trigger_type_check CHECK ((trigger_type = ANY (ARRAY['MESSAGE'::text, 'CONVERSATION'::text, 'SCHEDULE'::text, 'WEBHOOK'::text])))
-- constraint
automations automations_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
conversation_tags conversation_tags_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
conversation_tags conversation_tags_pkey PRIMARY KEY (conversation_id, tag_id)
-- constraint
conversation_tags conversation_tags_tenant_id_conversation_id_fkey FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations(tenant_id, id) ON DELETE CASCADE
-- constraint
conversation_tags conversation_tags_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
conversation_tags conversation_tags_tenant_id_tag_id_fkey FOREIGN KEY (tenant_id, tag_id) REFERENCES tags(tenant_id, id) ON DELETE CASCADE
-- constraint
conversations conversations_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
conversations conversations_custom_attributes_check CHECK ((jsonb_typeof(custom_attributes) = 'object'::text))
-- constraint
conversations conversations_escalation_level_check CHECK (((escalation_level >= 0) AND (escalation_level <= 10)))
-- constraint
conversations conversations_estimated_resolution_time_check CHECK ((estimated_resolution_time >= 0))
-- constraint
conversations conversations_pkey PRIMARY KEY (id)
-- constraint
conversations conversations_priority_check CHECK ((priority = ANY (ARRAY['LOW'::text, 'MEDIUM'::text, 'HIGH'::text, 'URGENT'::text])))
-- constraint
conversations conversations_status_check CHECK ((status = ANY (ARRAY['OPEN'::text, 'IN_PROGRESS'::text, 'PENDING'::text, 'RESOLVED'::text, 'CLOSED'::text])))
-- constraint
conversations conversations_tenant_id_assigned_agent_id_fkey FOREIGN KEY (tenant_id, assigned_agent_id) REFERENCES users(tenant_id, id) ON DELETE SET NULL (assigned_agent_id)
-- constraint
conversations conversations_tenant_id_customer_id_fkey FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id) ON DELETE CASCADE
-- constraint
conversations conversations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
conversations conversations_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
conversations uq_conversations_tenant_id_id UNIQUE (tenant_id, id)
-- constraint
customer_tags customer_tags_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
customer_tags customer_tags_pkey PRIMARY KEY (customer_id, tag_id)
-- constraint
customer_tags customer_tags_tenant_id_customer_id_fkey FOREIGN KEY (tenant_id, customer_id) REFERENCES customers(tenant_id, id) ON DELETE CASCADE
-- constraint
customer_tags customer_tags_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
customer_tags customer_tags_tenant_id_tag_id_fkey FOREIGN KEY (tenant_id, tag_id) REFERENCES tags(tenant_id, id) ON DELETE CASCADE
-- constraint
customers customers_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
customers customers_custom_attributes_check CHECK ((jsonb_typeof(custom_attributes) = 'object'::text))
-- constraint
customers customers_pkey PRIMARY KEY (id)
-- constraint
customers customers_status_check CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'INACTIVE'::text, 'BLOCKED'::text])))
-- constraint
customers customers_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
customers customers_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
customers uq_customers_tenant_id_id UNIQUE (tenant_id, id)
-- constraint
file_attachments file_attachments_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
file_attachments file_attachments_file_size_check CHECK ((file_size >= 0))
-- constraint
file_attachments file_attachments_pkey PRIMARY KEY (id)
-- constraint
file_attachments file_attachments_storage_metadata_check CHECK ((jsonb_typeof(storage_metadata) = 'object'::text))
-- constraint
file_attachments file_attachments_storage_provider_check CHECK ((storage_provider = ANY (ARRAY['LOCAL'::text, 'S3'::text, 'GCS'::text, 'AZURE'::text])))
-- constraint
file_attachments file_attachments_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
file_attachments file_attachments_tenant_id_message_id_fkey FOREIGN KEY (tenant_id, message_id) REFERENCES messages(tenant_id, id) ON DELETE CASCADE
-- constraint
messages messages_message_type_check CHECK ((message_type = ANY (ARRAY['TEXT'::text, 'IMAGE'::text, 'FILE'::text, 'AUDIO'::text, 'VIDEO'::text, 'LOCATION'::text])))
-- constraint
messages messages_metadata_check CHECK ((jsonb_typeof(metadata) = 'object'::text))
-- constraint
messages messages_pkey PRIMARY KEY (id)
-- constraint
messages messages_sender_type_check CHECK ((sender_type = ANY (ARRAY['USER'::text, 'CUSTOMER'::text, 'SYSTEM'::text, 'AI'::text])))
-- constraint
messages messages_tenant_id_conversation_id_fkey FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations(tenant_id, id) ON DELETE CASCADE
-- constraint
messages messages_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
messages uq_messages_tenant_id_id UNIQUE (tenant_id, id)
-- constraint
notification_settings notification_settings_notification_types_check CHECK ((jsonb_typeof(notification_types) = 'object'::text))
-- constraint
notification_settings notification_settings_pkey PRIMARY KEY (id)
-- constraint
notification_settings notification_settings_quiet_hours_check CHECK ((jsonb_typeof(quiet_hours) = 'object'::text))
-- constraint
notification_settings notification_settings_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
notification_settings notification_settings_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
-- constraint
notification_settings uq_notification_settings_user UNIQUE (user_id)
-- constraint
performance_metrics performance_metrics_check CHECK ((period_end >= period_start))
-- constraint
performance_metrics performance_metrics_metadata_check CHECK ((jsonb_typeof(metadata) = 'object'::text))
-- constraint
performance_metrics performance_metrics_pkey PRIMARY KEY (id)
-- constraint
performance_metrics performance_metrics_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
performance_metrics performance_metrics_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL
-- constraint
seaql_migrations seaql_migrations_pkey PRIMARY KEY (version)
-- constraint
subscriptions subscriptions_amount_check CHECK ((amount >= (0)::numeric))
-- constraint
subscriptions subscriptions_check CHECK ((current_period_end > current_period_start))
-- constraint
subscriptions subscriptions_currency_check CHECK (((currency)::text ~ '^[A-Z]{3}$'::text))
-- constraint
subscriptions subscriptions_pkey PRIMARY KEY (id)
-- constraint
subscriptions subscriptions_plan_type_check CHECK ((plan_type = ANY (ARRAY['FREE'::text, 'STARTER'::text, 'PROFESSIONAL'::text, 'ENTERPRISE'::text])))
-- constraint
subscriptions subscriptions_status_check CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'TRIALING'::text, 'PAST_DUE'::text, 'CANCELLED'::text, 'EXPIRED'::text])))
-- constraint
subscriptions subscriptions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
tags tags_colour_check CHECK (((colour)::text ~ '^#[0-9A-Fa-f]{6}$'::text))
-- constraint
tags tags_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
tags tags_pkey PRIMARY KEY (id)
-- constraint
tags tags_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
tags tags_usage_count_check CHECK ((usage_count >= 0))
-- constraint
tags uq_tags_tenant_id_id UNIQUE (tenant_id, id)
-- constraint
tags uq_tags_tenant_name UNIQUE (tenant_id, name)
-- constraint
tenants tenants_features_check CHECK ((jsonb_typeof(features) = 'object'::text))
-- constraint
tenants tenants_max_conversations_check CHECK ((max_conversations >= 0))
-- constraint
tenants tenants_max_storage_mb_check CHECK ((max_storage_mb >= 0))
-- constraint
tenants tenants_max_users_check CHECK ((max_users >= 0))
-- constraint
tenants tenants_pkey PRIMARY KEY (id)
-- constraint
tenants tenants_plan_type_check CHECK ((plan_type = ANY (ARRAY['FREE'::text, 'STARTER'::text, 'PROFESSIONAL'::text, 'ENTERPRISE'::text])))
-- constraint
tenants tenants_settings_check CHECK ((jsonb_typeof(settings) = 'object'::text))
-- constraint
tenants tenants_sla_policies_check CHECK ((jsonb_typeof(sla_policies) = 'object'::text))
-- constraint
tenants tenants_status_check CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'TRIAL'::text, 'SUSPENDED'::text, 'CANCELLED'::text])))
-- constraint
tenants tenants_working_hours_check CHECK ((jsonb_typeof(working_hours) = 'object'::text))
-- constraint
user_sessions uq_user_sessions_token UNIQUE (session_token)
-- constraint
user_sessions user_sessions_check CHECK ((expires_at > created_at))
-- constraint
user_sessions user_sessions_ip_address_check CHECK (((ip_address IS NULL) OR ((ip_address)::inet IS NOT NULL)))
-- constraint
user_sessions user_sessions_pkey PRIMARY KEY (id)
-- constraint
user_sessions user_sessions_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
user_sessions user_sessions_tenant_id_user_id_fkey FOREIGN KEY (tenant_id, user_id) REFERENCES users(tenant_id, id) ON DELETE CASCADE
-- constraint
users uq_users_tenant_id_id UNIQUE (tenant_id, id)
-- constraint
users users_availability_status_check CHECK ((availability_status = ANY (ARRAY['ONLINE'::text, 'AWAY'::text, 'BUSY'::text, 'OFFLINE'::text])))
-- constraint
users users_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
users users_pkey PRIMARY KEY (id)
-- constraint
users users_preferences_check CHECK ((jsonb_typeof(preferences) = 'object'::text))
-- constraint
users users_role_check CHECK ((role = ANY (ARRAY['SUPER_ADMIN'::text, 'TENANT_ADMIN'::text, 'SUPERVISOR'::text, 'AGENT'::text])))
-- constraint
users users_skills_check CHECK ((jsonb_typeof(skills) = 'array'::text))
-- constraint
users users_status_check CHECK ((status = ANY (ARRAY['ACTIVE'::text, 'INACTIVE'::text, 'SUSPENDED'::text, 'INVITED'::text])))
-- constraint
users users_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
users users_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
users users_working_hours_check CHECK ((jsonb_typeof(working_hours) = 'object'::text))
-- constraint
webhooks webhooks_created_by_fkey FOREIGN KEY (created_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
webhooks webhooks_events_check CHECK (((jsonb_typeof(events) = 'array'::text) AND (jsonb_array_length(events) > 0)))
-- constraint
webhooks webhooks_headers_check CHECK ((jsonb_typeof(headers) = 'object'::text))
-- constraint
webhooks webhooks_pkey PRIMARY KEY (id)
-- constraint
webhooks webhooks_retry_count_check CHECK (((retry_count >= 0) AND (retry_count <= 10)))
-- constraint
webhooks webhooks_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE
-- constraint
webhooks webhooks_updated_by_fkey FOREIGN KEY (updated_by) REFERENCES users(id) ON DELETE SET NULL
-- constraint
webhooks webhooks_url_check CHECK (((url)::text ~ '^https?://'::text))
-- index
CREATE UNIQUE INDEX audit_logs_pkey ON public.audit_logs USING btree (id)
-- index
CREATE UNIQUE INDEX automations_pkey ON public.automations USING btree (id)
-- index
CREATE UNIQUE INDEX conversation_tags_pkey ON public.conversation_tags USING btree (conversation_id, tag_id)
-- index
CREATE UNIQUE INDEX conversations_pkey ON public.conversations USING btree (id)
-- index
CREATE UNIQUE INDEX customer_tags_pkey ON public.customer_tags USING btree (customer_id, tag_id)
-- index
CREATE UNIQUE INDEX customers_pkey ON public.customers USING btree (id)
-- index
CREATE UNIQUE INDEX file_attachments_pkey ON public.file_attachments USING btree (id)
-- index
CREATE INDEX idx_audit_logs_entity ON public.audit_logs USING btree (entity_type, entity_id)
-- index
CREATE INDEX idx_audit_logs_tenant_time ON public.audit_logs USING btree (tenant_id, created_at)
-- index
CREATE INDEX idx_audit_logs_user_id ON public.audit_logs USING btree (user_id)
-- index
CREATE INDEX idx_automations_created_by ON public.automations USING btree (created_by)
-- index
CREATE INDEX idx_automations_is_active ON public.automations USING btree (is_active)
-- index
CREATE INDEX idx_automations_tenant_id ON public.automations USING btree (tenant_id)
-- index
CREATE INDEX idx_automations_trigger_type ON public.automations USING btree (trigger_type)
-- index
CREATE INDEX idx_automations_updated_by ON public.automations USING btree (updated_by)
-- index
CREATE INDEX idx_conversation_tags_conversation_id ON public.conversation_tags USING btree (conversation_id)
-- index
CREATE INDEX idx_conversation_tags_tag_id ON public.conversation_tags USING btree (tag_id)
-- index
CREATE INDEX idx_conversation_tags_tenant_id ON public.conversation_tags USING btree (tenant_id)
-- index
CREATE INDEX idx_conversations_agent_queue ON public.conversations USING btree (tenant_id, priority_score DESC) WHERE (status = ANY (ARRAY['OPEN'::text, 'IN_PROGRESS'::text, 'PENDING'::text]))
-- index
CREATE INDEX idx_conversations_assigned_agent_id ON public.conversations USING btree (assigned_agent_id)
-- index
CREATE INDEX idx_conversations_created_at ON public.conversations USING btree (created_at)
-- index
CREATE INDEX idx_conversations_created_by ON public.conversations USING btree (created_by)
-- index
CREATE INDEX idx_conversations_custom_attributes ON public.conversations USING gin (custom_attributes)
-- index
CREATE INDEX idx_conversations_customer_id ON public.conversations USING btree (customer_id)
-- index
CREATE INDEX idx_conversations_sla_deadline ON public.conversations USING btree (sla_deadline)
-- index
CREATE INDEX idx_conversations_status ON public.conversations USING btree (status)
-- index
CREATE INDEX idx_conversations_tenant_id ON public.conversations USING btree (tenant_id)
-- index
CREATE INDEX idx_conversations_tenant_status_recent ON public.conversations USING btree (tenant_id, status, created_at DESC)
-- index
CREATE INDEX idx_conversations_updated_by ON public.conversations USING btree (updated_by)
-- index
CREATE INDEX idx_customer_tags_customer_id ON public.customer_tags USING btree (customer_id)
-- index
CREATE INDEX idx_customer_tags_tag_id ON public.customer_tags USING btree (tag_id)
-- index
CREATE INDEX idx_customer_tags_tenant_id ON public.customer_tags USING btree (tenant_id)
-- index
CREATE INDEX idx_customers_created_by ON public.customers USING btree (created_by)
-- index
CREATE INDEX idx_customers_custom_attributes ON public.customers USING gin (custom_attributes)
-- index
CREATE INDEX idx_customers_status ON public.customers USING btree (status)
-- index
CREATE INDEX idx_customers_tenant_id ON public.customers USING btree (tenant_id)
-- index
CREATE INDEX idx_customers_updated_by ON public.customers USING btree (updated_by)
-- index
CREATE INDEX idx_file_attachments_created_by ON public.file_attachments USING btree (created_by)
-- index
CREATE INDEX idx_file_attachments_message_id ON public.file_attachments USING btree (message_id)
-- index
CREATE INDEX idx_file_attachments_tenant_id ON public.file_attachments USING btree (tenant_id)
-- index
CREATE INDEX idx_messages_conversation_id ON public.messages USING btree (conversation_id)
-- index
CREATE INDEX idx_messages_conversation_timeline ON public.messages USING btree (conversation_id, created_at)
-- index
CREATE INDEX idx_messages_created_at ON public.messages USING btree (created_at)
-- index
CREATE INDEX idx_messages_sender_type ON public.messages USING btree (sender_type)
-- index
CREATE INDEX idx_messages_tenant_id ON public.messages USING btree (tenant_id)
-- index
CREATE INDEX idx_notification_settings_tenant_id ON public.notification_settings USING btree (tenant_id)
-- index
CREATE INDEX idx_notification_settings_user_id ON public.notification_settings USING btree (user_id)
-- index
CREATE INDEX idx_performance_metrics_tenant_id ON public.performance_metrics USING btree (tenant_id)
-- index
CREATE INDEX idx_performance_metrics_tenant_type_period ON public.performance_metrics USING btree (tenant_id, metric_type, period_start)
-- index
CREATE INDEX idx_performance_metrics_user_id ON public.performance_metrics USING btree (user_id)
-- index
CREATE INDEX idx_subscriptions_period_end ON public.subscriptions USING btree (current_period_end)
-- index
CREATE INDEX idx_subscriptions_status ON public.subscriptions USING btree (status)
-- index
CREATE INDEX idx_subscriptions_tenant_id ON public.subscriptions USING btree (tenant_id)
-- index
CREATE INDEX idx_tags_created_by ON public.tags USING btree (created_by)
-- index
CREATE INDEX idx_tags_tenant_id ON public.tags USING btree (tenant_id)
-- index
CREATE INDEX idx_user_sessions_expires_at ON public.user_sessions USING btree (expires_at)
-- index
CREATE INDEX idx_user_sessions_tenant_id ON public.user_sessions USING btree (tenant_id)
-- index
CREATE INDEX idx_user_sessions_user_id ON public.user_sessions USING btree (user_id)
-- index
CREATE INDEX idx_users_created_by ON public.users USING btree (created_by)
-- index
CREATE INDEX idx_users_role ON public.users USING btree (role)
-- index
CREATE INDEX idx_users_status ON public.users USING btree (status)
-- index
CREATE INDEX idx_users_tenant_id ON public.users USING btree (tenant_id)
-- index
CREATE INDEX idx_users_updated_by ON public.users USING btree (updated_by)
-- index
CREATE INDEX idx_webhooks_created_by ON public.webhooks USING btree (created_by)
-- index
CREATE INDEX idx_webhooks_tenant_id ON public.webhooks USING btree (tenant_id)
-- index
CREATE INDEX idx_webhooks_updated_by ON public.webhooks USING btree (updated_by)
-- index
CREATE UNIQUE INDEX messages_pkey ON public.messages USING btree (id)
-- index
CREATE UNIQUE INDEX notification_settings_pkey ON public.notification_settings USING btree (id)
-- index
CREATE UNIQUE INDEX performance_metrics_pkey ON public.performance_metrics USING btree (id)
-- index
CREATE UNIQUE INDEX seaql_migrations_pkey ON public.seaql_migrations USING btree (version)
-- index
CREATE UNIQUE INDEX subscriptions_pkey ON public.subscriptions USING btree (id)
-- index
CREATE UNIQUE INDEX tags_pkey ON public.tags USING btree (id)
-- index
CREATE UNIQUE INDEX tenants_pkey ON public.tenants USING btree (id)
-- index
CREATE UNIQUE INDEX uq_conversations_tenant_id_id ON public.conversations USING btree (tenant_id, id)
-- index
CREATE UNIQUE INDEX uq_customers_tenant_email ON public.customers USING btree (tenant_id, lower((email)::text)) WHERE (email IS NOT NULL)
-- index
CREATE UNIQUE INDEX uq_customers_tenant_id_id ON public.customers USING btree (tenant_id, id)
-- index
CREATE UNIQUE INDEX uq_messages_tenant_id_id ON public.messages USING btree (tenant_id, id)
-- index
CREATE UNIQUE INDEX uq_notification_settings_user ON public.notification_settings USING btree (user_id)
-- index
CREATE UNIQUE INDEX uq_tags_tenant_id_id ON public.tags USING btree (tenant_id, id)
-- index
CREATE UNIQUE INDEX uq_tags_tenant_name ON public.tags USING btree (tenant_id, name)
-- index
CREATE UNIQUE INDEX uq_tenants_custom_domain ON public.tenants USING btree (custom_domain)
-- index
CREATE UNIQUE INDEX uq_tenants_domain ON public.tenants USING btree (domain)
-- index
CREATE UNIQUE INDEX uq_user_sessions_token ON public.user_sessions USING btree (session_token)
-- index
CREATE UNIQUE INDEX uq_users_tenant_email ON public.users USING btree (tenant_id, lower((email)::text))
-- index
CREATE UNIQUE INDEX uq_users_tenant_id_id ON public.users USING btree (tenant_id, id)
-- index
CREATE UNIQUE INDEX user_sessions_pkey ON public.user_sessions USING btree (id)
-- index
CREATE UNIQUE INDEX users_pkey ON public.users USING btree (id)
-- index
CREATE UNIQUE INDEX webhooks_pkey ON public.webhooks USING btree (id)
-- trigger
CREATE TRIGGER trg_automations_touch_updated_at BEFORE UPDATE ON public.automations FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
-- trigger
CREATE TRIGGER trg_conversations_compute_priority BEFORE INSERT OR UPDATE ON public.conversations FOR EACH ROW EXECUTE FUNCTION conversations_compute_priority()
-- trigger
CREATE TRIGGER trg_conversations_touch_updated_at BEFORE UPDATE ON public.conversations FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
-- trigger
CREATE TRIGGER trg_customers_touch_updated_at BEFORE UPDATE ON public.customers FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
-- trigger
CREATE TRIGGER trg_messages_touch_updated_at BEFORE UPDATE ON public.messages FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
-- trigger
CREATE TRIGGER trg_notification_settings_touch_updated_at BEFORE UPDATE ON public.notification_settings FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
-- trigger
CREATE TRIGGER trg_subscriptions_touch_updated_at BEFORE UPDATE ON public.subscriptions FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
-- trigger
CREATE TRIGGER trg_tenants_touch_updated_at BEFORE UPDATE ON public.tenants FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
-- trigger
CREATE TRIGGER trg_user_sessions_touch_updated_at BEFORE UPDATE ON public.user_sessions FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
-- trigger
CREATE TRIGGER trg_users_touch_updated_at BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
-- trigger
CREATE TRIGGER trg_webhooks_touch_updated_at BEFORE UPDATE ON public.webhooks FOR EACH ROW EXECUTE FUNCTION touch_updated_at()
-- function
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
-- function
CREATE OR REPLACE FUNCTION public.touch_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$function$
-- comment
audit_logs: Append-only record of changes; tenant_id is NULL for system-wide events.
-- comment
automations: Rules that act on messages, conversations, schedules or webhooks.
-- comment
conversations.estimated_resolution_time: Minutes.
-- comment
conversations.priority_score: Computed by trigger: priority base + 25 x escalation_level + whole hours open.
-- comment
conversations.sla_deadline: Defaults on insert to created_at + the tenant's sla_policies.resolution_time minutes.
-- comment
conversations: Support threads between a customer and a tenant's agents.
-- comment
customers: People who write in to a tenant.
-- comment
messages.sender_id: A users.id or customers.id, depending on sender_type.
-- comment
messages: Messages of a conversation, in the conversation's tenant.
-- comment
subscriptions: Billing subscriptions of tenants.
-- comment
tags.usage_count: Number of customer and conversation links.
-- comment
tags: Tags of a tenant; linked through customer_tags and conversation_tags.
-- comment
tenants: Organisations using the platform; every tenant's data is isolated by tenant_id.
-- comment
user_sessions.session_token: A hash of the session token, never the token itself.
-- comment
users.password_hash: Argon2id PHC string; NULL for invited users without a password.
-- comment
users: Agents and administrators of a tenant.
