# MongoDB's data on EFS (only when external_database = false): encrypted at
# rest with the stack's key and in transit (TLS mount), reachable only from
# the MongoDB task's security group, mounted through an access point that
# pins the owner to the mongo image's user (999) and the directory to /mongo.
# Never moved to Infrequent Access (database files are read at random; IA
# would bill every read and slow it), and protected from `terraform destroy`:
# to really delete the data, remove prevent_destroy first (README.md).

resource "aws_efs_file_system" "mongo" {
  count            = var.external_database ? 0 : 1
  encrypted        = true
  kms_key_id       = aws_kms_key.main.arn
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"

  tags = { Name = "${local.name}-mongo" }

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_efs_backup_policy" "mongo" {
  count          = var.external_database ? 0 : 1
  file_system_id = aws_efs_file_system.mongo[0].id

  backup_policy {
    status = "ENABLED" # daily AWS Backup, kept 35 days
  }
}

resource "aws_efs_mount_target" "mongo" {
  count           = var.external_database ? 0 : 2
  file_system_id  = aws_efs_file_system.mongo[0].id
  subnet_id       = aws_subnet.private[count.index].id
  security_groups = [aws_security_group.efs[0].id]
}

resource "aws_efs_access_point" "mongo" {
  count          = var.external_database ? 0 : 1
  file_system_id = aws_efs_file_system.mongo[0].id

  posix_user {
    uid = 999
    gid = 999
  }

  root_directory {
    path = "/mongo"
    creation_info {
      owner_uid   = 999
      owner_gid   = 999
      permissions = "0750"
    }
  }
}

# Only through the access point, only over TLS, only by the MongoDB task role.
resource "aws_efs_file_system_policy" "mongo" {
  count          = var.external_database ? 0 : 1
  file_system_id = aws_efs_file_system.mongo[0].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "MongoTaskThroughAccessPoint"
        Effect    = "Allow"
        Principal = { AWS = aws_iam_role.mongo_task[0].arn }
        Action    = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
        Resource  = aws_efs_file_system.mongo[0].arn
        Condition = { StringEquals = { "elasticfilesystem:AccessPointArn" = aws_efs_access_point.mongo[0].arn } }
      },
      {
        Sid       = "TlsOnly"
        Effect    = "Deny"
        Principal = { AWS = "*" }
        Action    = "*"
        Resource  = aws_efs_file_system.mongo[0].arn
        Condition = { Bool = { "aws:SecureTransport" = "false" } }
      },
    ]
  })
}
