# Plan-level tests with a mocked AWS provider: no account, no credentials,
# nothing created. Run in infra/: `terraform init -backend=false && terraform test`
# (.ci/run does). Each run plans the stack with some variables and checks
# what the plan would build.

mock_provider "aws" {
  # Mocked computed values (ids, ARNs) are known while planning, so the
  # assertions can read task definitions that embed them.
  override_during = plan

  # Values the task definitions embed, known at plan time.
  mock_resource "aws_secretsmanager_secret" {
    defaults = { arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:spares/test/x-AbCdEf" }
  }
  mock_resource "aws_ecr_repository" {
    defaults = { repository_url = "123456789012.dkr.ecr.eu-central-1.amazonaws.com/spares-prod" }
  }
  mock_resource "aws_lb" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:loadbalancer/app/spares-prod/0123456789abcdef"
      dns_name   = "spares-prod-123.eu-central-1.elb.amazonaws.com"
      arn_suffix = "app/spares-prod/0123456789abcdef"
    }
  }
  mock_resource "aws_lb_target_group" {
    defaults = {
      arn        = "arn:aws:elasticloadbalancing:eu-central-1:123456789012:targetgroup/spares-prod-web/0123456789abcdef"
      arn_suffix = "targetgroup/spares-prod-web/0123456789abcdef"
    }
  }
  mock_resource "aws_kms_key" {
    defaults = { arn = "arn:aws:kms:eu-central-1:123456789012:key/00000000-0000-0000-0000-000000000000", key_id = "00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_sns_topic" {
    defaults = { arn = "arn:aws:sns:eu-central-1:123456789012:spares-prod-alarms" }
  }
  mock_resource "aws_acm_certificate" {
    defaults = { arn = "arn:aws:acm:eu-central-1:123456789012:certificate/00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_acm_certificate_validation" {
    defaults = { certificate_arn = "arn:aws:acm:eu-central-1:123456789012:certificate/00000000-0000-0000-0000-000000000000" }
  }
  mock_resource "aws_iam_instance_profile" {
    defaults = { arn = "arn:aws:iam::123456789012:instance-profile/spares-prod" }
  }
  mock_resource "aws_autoscaling_group" {
    defaults = { arn = "arn:aws:autoscaling:eu-central-1:123456789012:autoScalingGroup:00000000-0000-0000-0000-000000000000:autoScalingGroupName/spares-prod-ecs" }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = { arn = "arn:aws:ecs:eu-central-1:123456789012:cluster/spares-prod", id = "arn:aws:ecs:eu-central-1:123456789012:cluster/spares-prod" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:eu-central-1:123456789012:task-definition/spares-prod-web:1" }
  }
  mock_resource "aws_efs_file_system" {
    defaults = { arn = "arn:aws:elasticfilesystem:eu-central-1:123456789012:file-system/fs-01234567", id = "fs-01234567" }
  }
  mock_resource "aws_efs_access_point" {
    defaults = { arn = "arn:aws:elasticfilesystem:eu-central-1:123456789012:access-point/fsap-0123456789abcdef0", id = "fsap-0123456789abcdef0" }
  }
  mock_resource "aws_service_discovery_service" {
    defaults = { arn = "arn:aws:servicediscovery:eu-central-1:123456789012:service/srv-0123456789abcdef" }
  }
  mock_resource "aws_iam_openid_connect_provider" {
    defaults = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
  }
  mock_resource "aws_iam_policy" {
    defaults = { arn = "arn:aws:iam::123456789012:policy/spares-prod" }
  }
  mock_resource "aws_s3_bucket" {
    defaults = { arn = "arn:aws:s3:::spares-prod-bucket", id = "spares-prod-bucket" }
  }
  mock_resource "aws_ecs_capacity_provider" {
    defaults = { arn = "arn:aws:ecs:eu-central-1:123456789012:capacity-provider/spares-prod-ec2" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/spares-prod-role" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-central-1:123456789012:log-group:/spares/prod/x" }
  }

  mock_data "aws_availability_zones" {
    defaults = {
      names = ["eu-central-1a", "eu-central-1b", "eu-central-1c"]
    }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_ssm_parameter" {
    defaults = { value = "ami-0123456789abcdef0" }
  }
  mock_data "aws_iam_policy_document" {
    defaults = { json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}" }
  }
}

variables {
  image_tag = "0123456789abcdef0123456789abcdef01234567"
}

# Security groups get fixed ids, so rules can be checked against them.
override_resource {
  target          = aws_security_group.mongo
  override_during = plan
  values          = { id = "sg-mongo" }
}
override_resource {
  target          = aws_security_group.efs
  override_during = plan
  values          = { id = "sg-efs" }
}
override_resource {
  target          = aws_security_group.web
  override_during = plan
  values          = { id = "sg-web" }
}
override_resource {
  target          = aws_security_group.bot
  override_during = plan
  values          = { id = "sg-bot" }
}
override_resource {
  target          = aws_security_group.backup
  override_during = plan
  values          = { id = "sg-backup" }
}
override_resource {
  target          = aws_security_group.instances
  override_during = plan
  values          = { id = "sg-instances" }
}

run "defaults" {
  command = plan

  assert {
    condition     = length(aws_efs_file_system.mongo) == 1 && length(aws_ecs_service.mongo) == 1
    error_message = "By default MongoDB runs in the stack with its data on EFS."
  }
  assert {
    condition     = length(aws_efs_file_system.mongo[0].lifecycle_policy) == 0
    error_message = "Database files must never move to EFS Infrequent Access."
  }
  assert {
    condition     = aws_ecs_service.web.deployment_maximum_percent == 100 && aws_ecs_service.web.deployment_minimum_healthy_percent == 50
    error_message = "A web deploy replaces one task at a time (no extra network interface on t3 instances)."
  }
  assert {
    condition     = aws_autoscaling_group.ecs.force_delete && aws_autoscaling_group.ecs.instance_refresh[0].preferences[0].scale_in_protected_instances == "Refresh"
    error_message = "Destroy and instance refreshes must not wait on scale-in protected instances."
  }
  assert {
    condition     = contains(keys(aws_secretsmanager_secret.app), "mongo_keyfile") && contains(keys(aws_secretsmanager_secret.app), "mongo_root_password")
    error_message = "The in-stack MongoDB needs its root password and replica-set key file as secrets."
  }
  assert {
    condition     = strcontains(aws_ecs_task_definition.mongo[0].container_definitions, "--replSet rs0") && strcontains(aws_ecs_task_definition.mongo[0].container_definitions, "--keyFile")
    error_message = "Production MongoDB must be a replica set (transactions), with a key file."
  }
  assert {
    condition     = strcontains(aws_ecs_task_definition.mongo[0].container_definitions, "isWritablePrimary")
    error_message = "MongoDB is healthy only as PRIMARY."
  }
  assert {
    condition     = strcontains(aws_ecs_task_definition.web.container_definitions, "SPARES_TRUSTED_PROXIES")
    error_message = "The web tasks trust the load balancer's X-Forwarded-For."
  }
  assert {
    condition     = length(aws_lb_listener.https) == 0
    error_message = "Without a domain there is no HTTPS listener."
  }
  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.no_running_task)) == toset(["web", "bot", "mongo"])
    error_message = "Every service has a no-running-task alarm."
  }
  assert {
    condition     = length(aws_budgets_budget.monthly) == 1 && length(aws_sns_topic_subscription.alarm_email) == 0
    error_message = "A budget by default; no e-mail subscription without an address."
  }
}

run "backups_go_to_versioned_encrypted_s3_on_a_schedule" {
  command = plan

  assert {
    condition     = aws_s3_bucket_versioning.backups.versioning_configuration[0].status == "Enabled"
    error_message = "The backup bucket is versioned."
  }
  assert {
    condition     = one(one(aws_s3_bucket_server_side_encryption_configuration.backups.rule).apply_server_side_encryption_by_default).sse_algorithm == "aws:kms"
    error_message = "Backups are encrypted with the stack's key."
  }
  assert {
    condition     = one([for r in aws_s3_bucket_lifecycle_configuration.backups.rule : one(r.expiration).days if r.id == "retention"]) == 35
    error_message = "Backups are kept backup_retention_days (35 by default)."
  }
  assert {
    condition     = length(aws_scheduler_schedule.backup) == 1 && aws_scheduler_schedule.backup[0].schedule_expression == "cron(15 3 * * ? *)"
    error_message = "The database is backed up every night."
  }
  assert {
    condition     = strcontains(aws_ecs_task_definition.backup.container_definitions, "[\"backup\",\"/data/spares.db\"]") && strcontains(aws_ecs_task_definition.backup.container_definitions, "\"condition\":\"SUCCESS\"")
    error_message = "The task runs `spares backup`, then uploads only after it succeeded."
  }
  assert {
    condition     = contains(keys(aws_vpc_security_group_ingress_rule.mongo_from_app), "backup")
    error_message = "The backup task reaches MongoDB."
  }
}

run "mongodb_reaches_its_file_system" {
  command = plan

  # With awsvpc on EC2 the mount goes through the MongoDB task's own
  # interface: its group needs egress to EFS, and EFS must admit it.
  assert {
    condition     = aws_vpc_security_group_egress_rule.mongo_to_efs[0].security_group_id == "sg-mongo" && aws_vpc_security_group_egress_rule.mongo_to_efs[0].referenced_security_group_id == "sg-efs"
    error_message = "The MongoDB task's group must reach EFS."
  }
  assert {
    condition     = aws_vpc_security_group_egress_rule.mongo_to_efs[0].from_port == 2049 && aws_vpc_security_group_egress_rule.mongo_to_efs[0].to_port == 2049
    error_message = "NFS is port 2049."
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.efs_from_mongo[0].security_group_id == "sg-efs" && aws_vpc_security_group_ingress_rule.efs_from_mongo[0].referenced_security_group_id == "sg-mongo"
    error_message = "EFS must admit the MongoDB task's group."
  }
  assert {
    condition     = aws_vpc_security_group_ingress_rule.efs_from_mongo[0].from_port == 2049
    error_message = "NFS is port 2049."
  }
  assert {
    condition     = toset([for r in aws_vpc_security_group_ingress_rule.mongo_from_app : r.referenced_security_group_id]) == toset(["sg-web", "sg-bot", "sg-backup"])
    error_message = "Only the web, bot and backup tasks reach MongoDB."
  }
}

run "with_a_domain" {
  command = plan

  variables {
    domain_name     = "spares.example.org"
    route53_zone_id = "Z0123456789ABCDEFGHIJ"
    alarm_email     = "owner@example.org"
  }

  assert {
    condition     = length(aws_lb_listener.https) == 1
    error_message = "A domain gets an HTTPS listener."
  }
  assert {
    condition     = strcontains(aws_ecs_task_definition.web.container_definitions, "https://spares.example.org")
    error_message = "The public URL is the https domain (labels, Secure cookies)."
  }
  assert {
    condition     = length(aws_sns_topic_subscription.alarm_email) == 1 && aws_sns_topic_subscription.alarm_email[0].endpoint == "owner@example.org"
    error_message = "Alarms go to the given address."
  }
}

run "with_an_external_database" {
  command = plan

  variables {
    external_database = true
    enable_bot        = false
  }

  assert {
    condition     = length(aws_efs_file_system.mongo) == 0 && length(aws_ecs_service.mongo) == 0 && length(aws_security_group.mongo) == 0
    error_message = "No MongoDB, EFS or their security groups with an external database."
  }
  assert {
    condition     = !contains(keys(aws_secretsmanager_secret.app), "mongo_keyfile") && contains(keys(aws_secretsmanager_secret.app), "database_url")
    error_message = "Only the database URL secret with an external database."
  }
  assert {
    condition     = contains(keys(aws_vpc_security_group_egress_rule.app_to_external_db), "web")
    error_message = "The web tasks reach the external database."
  }
  assert {
    condition     = toset(keys(aws_cloudwatch_metric_alarm.no_running_task)) == toset(["web"])
    error_message = "Only running services are watched."
  }
}
