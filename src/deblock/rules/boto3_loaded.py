"""boto3 resources' attributes that load the resource on first read (boto3 1.44's resource
models): each resource with a ``load`` (its model's, or S3's ``Bucket`` and
``ObjectSummary``'s that boto3 adds) has an attribute a member of its shape that is not an
identifier; reading one while the resource holds no data (``meta.data`` None: as its
constructor makes it, ``s3.Object(b, k)``, and as an action leaves it) calls ``load()``,
one request (``HeadObject`` for an S3 object, ``ListBuckets`` for a bucket), then answers
from the data. So does a reference built from the data (an EC2 instance's ``vpc``). A
resource without ``load`` raises there instead (no request): none is listed. Identifiers
(``key``, ``bucket_name``, ``name``) are never loaded."""

# by resource name (unique among boto3's services that have a ``load``): the attributes
LOADED = {
    "AccountPasswordPolicy": (
        "allow_users_to_change_password expire_passwords hard_expiry max_password_age "
        "minimum_password_length password_reuse_prevention require_lowercase_characters "
        "require_numbers require_symbols require_uppercase_characters"
    ),
    "AccountSummary": "summary_map",
    "Alarm": (
        "action_configuration actions_enabled alarm_actions alarm_arn "
        "alarm_configuration_updated_timestamp alarm_description comparison_operator "
        "datapoints_to_alarm dimensions evaluate_low_sample_count_percentile evaluation_criteria "
        "evaluation_interval evaluation_periods evaluation_state evaluation_window "
        "extended_statistic insufficient_data_actions metric metric_name metrics namespace "
        "ok_actions period state_reason state_reason_data state_transitioned_timestamp "
        "state_updated_timestamp state_value statistic threshold threshold_metric_id "
        "treat_missing_data unit warm_up_configuration"
    ),
    "Bucket": "bucket_arn bucket_region creation_date",
    "BucketAcl": "grants owner",
    "BucketCors": "cors_rules",
    "BucketLifecycle": "rules",
    "BucketLifecycleConfiguration": "rules transition_default_minimum_object_size",
    "BucketLogging": "logging_enabled",
    "BucketNotification": (
        "event_bridge_configuration lambda_function_configurations queue_configurations "
        "topic_configurations"
    ),
    "BucketPolicy": "policy",
    "BucketRequestPayment": "payer",
    "BucketTagging": "tag_set",
    "BucketVersioning": "mfa_delete status",
    "BucketWebsite": "error_document index_document redirect_all_requests_to routing_rules",
    "ClassicAddress": (
        "allocation_id association_id carrier_ip customer_owned_ip customer_owned_ipv4_pool "
        "domain instance_id network_border_group network_interface_id network_interface_owner_id "
        "private_ip_address public_ipv4_pool service_managed subnet_id tags"
    ),
    "CurrentUser": (
        "arn create_date password_last_used path permissions_boundary tags user user_id user_name"
    ),
    "DhcpOptions": "dhcp_configurations owner_id tags",
    "Group": "arn create_date group_id path",
    "GroupPolicy": "policy_document",
    "Image": (
        "architecture block_device_mappings boot_mode creation_date deprecation_time "
        "deregistration_protection description ena_support free_tier_eligible hypervisor "
        "image_allowed image_location image_owner_alias image_type image_watermarks imds_support "
        "instance_type_specification kernel_id last_launched_time name owner_id platform "
        "platform_details product_codes public public_ssm_parameter_name ramdisk_id "
        "root_device_name root_device_type scan_results source_image_id source_image_region "
        "source_instance_id sriov_net_support state state_reason tags tpm_support usage_operation "
        "virtualization_type"
    ),
    "Instance": (
        "ami_launch_index architecture block_device_mappings boot_mode capacity_block_id "
        "capacity_reservation_id capacity_reservation_specification classic_address client_token "
        "cpu_options current_instance_boot_mode ebs_optimized elastic_gpu_associations "
        "elastic_inference_accelerator_associations ena_support enclave_options "
        "hibernation_options hypervisor iam_instance_profile image image_id instance_lifecycle "
        "instance_type ipv6_address kernel_id key_name key_pair launch_time licenses "
        "maintenance_options metadata_options monitoring network_interfaces "
        "network_interfaces_attribute network_performance_options operator outpost_arn placement "
        "placement_group platform platform_details private_dns_name private_dns_name_options "
        "private_ip_address product_codes public_dns_name public_ip_address ramdisk_id "
        "root_device_name root_device_type secondary_interfaces security_groups source_dest_check "
        "spot_instance_request_id sriov_net_support state state_reason state_transition_reason "
        "subnet subnet_id tags tpm_support usage_operation usage_operation_update_time "
        "virtualization_type vpc vpc_id"
    ),
    "InstanceProfile": "arn create_date instance_profile_id path roles roles_attribute tags",
    "InternetGateway": "attachments owner_id tags",
    "Job": (
        "action archive_id archive_sha256_tree_hash archive_size_in_bytes completed "
        "completion_date creation_date inventory_retrieval_parameters inventory_size_in_bytes "
        "job_description job_output_path output_location retrieval_byte_range select_parameters "
        "sha256_tree_hash sns_topic status_code status_message tier vault_arn"
    ),
    "KeyPairInfo": "create_time key_fingerprint key_pair_id key_type public_key tags",
    "LoginProfile": "create_date max_signin_session_duration password_reset_required",
    "Metric": "dimensions",
    "NetworkAcl": "associations entries is_default owner_id tags vpc vpc_id",
    "NetworkInterface": (
        "associated_subnets association association_attribute attachment availability_zone "
        "availability_zone_id connection_tracking_configuration deny_all_igw_traffic description "
        "groups interface_type ipv4_prefixes ipv6_address ipv6_addresses ipv6_native "
        "ipv6_prefixes mac_address operator outpost_arn owner_id private_dns_name "
        "private_ip_address private_ip_addresses public_dns_name public_ip_dns_name_options "
        "requester_id requester_managed source_dest_check status subnet subnet_id tag_set vpc "
        "vpc_id"
    ),
    "NetworkInterfaceAssociation": (
        "address carrier_ip customer_owned_ip ip_owner_id public_dns_name public_ip"
    ),
    "Notification": "events sns_topic",
    "Object": (
        "accept_ranges archive_status bucket_key_enabled cache_control checksum_crc32 "
        "checksum_crc32_c checksum_crc64_nvme checksum_md5 checksum_sha1 checksum_sha256 "
        "checksum_sha512 checksum_type checksum_xxhash128 checksum_xxhash3 checksum_xxhash64 "
        "content_disposition content_encoding content_language content_length content_range "
        "content_type delete_marker e_tag expiration expires last_modified metadata missing_meta "
        "object_lock_event_hold object_lock_event_hold_duration_days "
        "object_lock_event_hold_duration_years object_lock_legal_hold_status object_lock_mode "
        "object_lock_retain_until_date parts_count replication_status request_charged restore "
        "server_side_encryption sse_customer_algorithm sse_customer_key_md5 ssekms_key_id "
        "storage_class tag_count version_id website_redirect_location"
    ),
    "ObjectAcl": "grants owner request_charged",
    "ObjectSummary": (
        "checksum_algorithm checksum_type e_tag last_modified owner restore_status size "
        "storage_class"
    ),
    "PlacementGroup": (
        "group_arn group_id linked_group_id operator parent_group_id partition_count spread_level "
        "state strategy tags"
    ),
    "PlatformApplication": "attributes",
    "PlatformEndpoint": "attributes",
    "Policy": (
        "attachment_count create_date default_version default_version_id description "
        "is_attachable path permissions_boundary_usage_count policy_id policy_name tags "
        "update_date"
    ),
    "PolicyVersion": "create_date document is_default_version",
    "Queue": "attributes",
    "Role": (
        "arn assume_role_policy_document create_date description max_session_duration "
        "max_signin_session_duration path permissions_boundary role_id role_last_used "
        "source_role_template tags"
    ),
    "RolePolicy": "policy_document",
    "RouteTable": (
        "associations associations_attribute owner_id propagating_vgws routes routes_attribute "
        "tags vpc vpc_id"
    ),
    "SamlProvider": (
        "assertion_encryption_mode context_provider create_date identity_center_instance_arn "
        "identity_store_arn private_key_list saml_key_hashes saml_metadata_document "
        "saml_provider_uuid tags valid_until"
    ),
    "SecurityGroup": (
        "description group_name ip_permissions ip_permissions_egress owner_id security_group_arn "
        "tags vpc_id"
    ),
    "ServerCertificate": "certificate_body certificate_chain server_certificate_metadata tags",
    "Snapshot": (
        "associated_kms_keys availability_zone completion_duration_minutes completion_time "
        "data_encryption_key_id description encrypted full_snapshot_size_in_bytes kms_key_id "
        "outpost_arn owner_alias owner_id progress restore_expiry_time sse_type start_time state "
        "state_message storage_tier tags transfer_type volume volume_id volume_size"
    ),
    "Stack": (
        "alias_name capabilities change_set_id creation_time deletion_mode deletion_time "
        "deployment_config description detailed_status disable_rollback drift_information "
        "enable_termination_protection last_operations last_updated_time notification_arns "
        "outputs parameters parent_id retain_except_on_create role_arn rollback_configuration "
        "root_id stack_id stack_status stack_status_reason tags timeout_in_minutes"
    ),
    "StackResource": (
        "description drift_information last_updated_timestamp metadata module_info "
        "physical_resource_id resource_status resource_status_reason resource_type stack_id"
    ),
    "Subnet": (
        "assign_ipv6_address_on_creation availability_zone availability_zone_id "
        "available_ip_address_count block_public_access_states cidr_block "
        "customer_owned_ipv4_pool default_for_az enable_dns64 enable_lni_at_device_index "
        "ipv6_cidr_block_association_set ipv6_native map_customer_owned_ip_on_launch "
        "map_public_ip_on_launch network_firewall_connectivity_type outpost_arn owner_id "
        "private_dns_name_options_on_launch state subnet_arn tags type vpc vpc_id"
    ),
    "Subscription": "attributes",
    "Table": (
        "archival_summary attribute_definitions billing_mode_summary creation_date_time "
        "deletion_protection_enabled disassociation_protection_enabled global_secondary_indexes "
        "global_table_settings_replication_mode global_table_version global_table_witnesses "
        "item_count key_schema latest_stream_arn latest_stream_label local_secondary_indexes "
        "multi_region_consistency on_demand_throughput provisioned_throughput replicas "
        "restore_summary sse_description stream_specification table_arn table_class_summary "
        "table_id table_size_bytes table_status vector_indexes warm_throughput"
    ),
    "Tag": "resource_type",
    "Topic": "attributes",
    "User": "arn create_date password_last_used path permissions_boundary tags user_id",
    "UserPolicy": "policy_document",
    "Vault": "creation_date last_inventory_date number_of_archives size_in_bytes vault_arn",
    "Volume": (
        "attachments availability_zone availability_zone_id create_time encrypted fast_restored "
        "iops kms_key_id multi_attach_enabled multi_availability_zone_configuration operator "
        "outpost_arn owner_id size snapshot_id source_volume_id sse_type state tags throughput "
        "trim_on_attach volume_arn volume_initialization_rate volume_type"
    ),
    "Vpc": (
        "block_public_access_states cidr_block cidr_block_association_set dhcp_options "
        "dhcp_options_id encryption_control instance_tenancy ipv6_cidr_block_association_set "
        "is_default network_firewall_associations owner_id state tags"
    ),
    "VpcAddress": (
        "association association_id carrier_ip customer_owned_ip customer_owned_ipv4_pool domain "
        "instance_id network_border_group network_interface_id network_interface_owner_id "
        "private_ip_address public_ip public_ipv4_pool service_managed subnet_id tags"
    ),
    "VpcPeeringConnection": (
        "accepter_vpc accepter_vpc_info expiration_time multipath_resilience_status requester_vpc "
        "requester_vpc_info status tags"
    ),
}
