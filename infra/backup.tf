# Scheduled backups of the database to S3 (versioned, encrypted with the
# stack's key, kept backup_retention_days), for the in-stack MongoDB and an
# external one alike.
#
# An ECS task runs on the schedule (EventBridge Scheduler) with two
# containers sharing a task volume: `dump` runs `spares backup
# /data/spares.db` with the application's database URL (a snapshot read on
# the replica set: consistent while web and bot write; README.md, "Backups"),
# then `upload` (the AWS CLI image) copies the file to
# s3://<bucket>/backups/<UTC time>.db. Restore: README.md, "Restore from S3".

resource "aws_s3_bucket" "backups" {
  #checkov:skip=CKV_AWS_144:Cross-region replication doubles the cost of a hobby inventory's backups; the bucket is versioned and AWS Backup keeps EFS copies too.
  #checkov:skip=CKV_AWS_18:Access logging would need a second bucket; only the backup task's role and administrators can reach this one (bucket policy, IAM).
  #checkov:skip=CKV2_AWS_62:Nothing reacts to new backups; event notifications would have no consumer.
  bucket        = "${local.name}-backups-${data.aws_caller_identity.current.account_id}"
  force_destroy = false
}

resource "aws_s3_bucket_versioning" "backups" {
  bucket = aws_s3_bucket.backups.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.main.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "backups" {
  bucket                  = aws_s3_bucket.backups.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "backups" {
  bucket = aws_s3_bucket.backups.id
  rule {
    id     = "retention"
    status = "Enabled"
    filter {
      prefix = "backups/"
    }
    expiration {
      days = var.backup_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
  }
  rule {
    id     = "abort-incomplete-uploads"
    status = "Enabled"
    filter {}
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_policy" "backups" {
  bucket = aws_s3_bucket.backups.id
  policy = data.aws_iam_policy_document.backups_bucket.json
}

data "aws_iam_policy_document" "backups_bucket" {
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.backups.arn, "${aws_s3_bucket.backups.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

# The backup task may write backups and nothing else.
resource "aws_iam_role" "backup_task" {
  name               = "${local.name}-backup-task"
  assume_role_policy = data.aws_iam_policy_document.assume_ecs_tasks.json
}

data "aws_iam_policy_document" "backup_task" {
  statement {
    sid       = "WriteBackups"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.backups.arn}/backups/*"]
  }
  statement {
    sid       = "EncryptBackups"
    actions   = ["kms:GenerateDataKey", "kms:Encrypt"]
    resources = [aws_kms_key.main.arn]
  }
}

resource "aws_iam_role_policy" "backup_task" {
  name   = "write-backups"
  role   = aws_iam_role.backup_task.id
  policy = data.aws_iam_policy_document.backup_task.json
}

resource "aws_ecs_task_definition" "backup" {
  family                   = "${local.name}-backup"
  requires_compatibilities = ["EC2"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 256
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.backup_task.arn

  # A task-scoped Docker volume starts with the image's /data (owned by
  # 65532), so the non-root `dump` container can write there.
  volume {
    name = "backup"
    docker_volume_configuration {
      scope  = "task"
      driver = "local"
    }
  }

  container_definitions = jsonencode([
    {
      name                   = "dump"
      image                  = local.image
      essential              = false
      command                = ["backup", "/data/spares.db"]
      readonlyRootFilesystem = true
      user                   = "65532:65532"
      environment            = [{ name = "SPARES_LOG_FORMAT", value = "json" }]
      secrets                = [local.app_secret["database_url"]]
      mountPoints            = [{ sourceVolume = "backup", containerPath = "/data", readOnly = false }]
      logConfiguration       = local.log_options["backup"]
    },
    {
      name       = "upload"
      image      = var.aws_cli_image
      essential  = true
      dependsOn  = [{ containerName = "dump", condition = "SUCCESS" }]
      entryPoint = ["sh", "-c"]
      command = [join(" ", [
        "aws s3 cp /backup/spares.db",
        "\"s3://${aws_s3_bucket.backups.id}/backups/$(date -u +%Y-%m-%dT%H%M%SZ).db\"",
        "--sse aws:kms --sse-kms-key-id ${aws_kms_key.main.arn} --no-progress",
      ])]
      mountPoints      = [{ sourceVolume = "backup", containerPath = "/backup", readOnly = true }]
      logConfiguration = local.log_options["backup"]
    },
  ])
}

# EventBridge Scheduler runs the task; its role may run this task family and
# hand it its two roles, nothing more.
data "aws_iam_policy_document" "assume_scheduler" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "backup_scheduler" {
  count              = var.backup_schedule == "" ? 0 : 1
  name               = "${local.name}-backup-scheduler"
  assume_role_policy = data.aws_iam_policy_document.assume_scheduler.json
}

data "aws_iam_policy_document" "backup_scheduler" {
  statement {
    sid       = "RunBackupTask"
    actions   = ["ecs:RunTask"]
    resources = ["arn:${data.aws_partition.current.partition}:ecs:${var.region}:${data.aws_caller_identity.current.account_id}:task-definition/${aws_ecs_task_definition.backup.family}:*"]
    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [aws_ecs_cluster.main.arn]
    }
  }
  statement {
    sid       = "PassItsRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.execution.arn, aws_iam_role.backup_task.arn]
  }
}

resource "aws_iam_role_policy" "backup_scheduler" {
  count  = var.backup_schedule == "" ? 0 : 1
  name   = "run-backup"
  role   = aws_iam_role.backup_scheduler[0].id
  policy = data.aws_iam_policy_document.backup_scheduler.json
}

resource "aws_scheduler_schedule" "backup" {
  count                        = var.backup_schedule == "" ? 0 : 1
  name                         = "${local.name}-backup"
  schedule_expression          = var.backup_schedule
  schedule_expression_timezone = "UTC"
  kms_key_arn                  = aws_kms_key.main.arn

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_ecs_cluster.main.arn
    role_arn = aws_iam_role.backup_scheduler[0].arn

    ecs_parameters {
      task_definition_arn = aws_ecs_task_definition.backup.arn_without_revision
      task_count          = 1

      capacity_provider_strategy {
        capacity_provider = aws_ecs_capacity_provider.ec2.name
        weight            = 1
      }

      network_configuration {
        subnets          = aws_subnet.private[*].id
        security_groups  = [aws_security_group.backup.id]
        assign_public_ip = false
      }
    }

    retry_policy {
      maximum_retry_attempts = 2
    }
  }
}

output "backup_bucket" {
  description = "S3 bucket of the database backups (backups/<UTC time>.db)."
  value       = aws_s3_bucket.backups.id
}
