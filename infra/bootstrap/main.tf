# Run once per AWS account, with local state, before the main stack:
#   cd infra/bootstrap && terraform init && terraform apply -var state_bucket=<globally unique name>
# It makes the S3 bucket that holds the main stack's state (versioned,
# encrypted, private). Locking uses S3 lock files (Terraform >= 1.10,
# use_lockfile = true), so no DynamoDB table is needed.

terraform {
  required_version = ">= 1.10"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "region" {
  description = "Region of the state bucket (the main stack may deploy elsewhere)."
  type        = string
  default     = "eu-central-1"
}

variable "state_bucket" {
  description = "Name of the S3 bucket for Terraform state (globally unique)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be a valid S3 bucket name (3-63 lowercase letters, digits, dots, dashes)."
  }
}

variable "environments" {
  description = "Environments of the main stack; each gets its own state key (spares/<environment>.tfstate)."
  type        = list(string)
  default     = ["prod"]

  validation {
    condition     = alltrue([for e in var.environments : can(regex("^[a-z][a-z0-9-]{0,15}$", e))])
    error_message = "Each environment is 1-16 lowercase letters, digits or dashes, starting with a letter."
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Project = "spares", ManagedBy = "terraform" }
  }
}

resource "aws_s3_bucket" "state" {
  #checkov:skip=CKV_AWS_144:Cross-region replication doubles the cost of a state bucket for a hobby stack; versioning keeps every earlier state.
  #checkov:skip=CKV_AWS_18:Access logging would need a second bucket; CloudTrail records the API calls.
  #checkov:skip=CKV2_AWS_62:No consumer for event notifications on a state bucket.
  #checkov:skip=CKV_AWS_145:SSE-S3 (AES-256) is enough for state; a KMS key would have to exist before the stack that makes keys.
  bucket = var.state_bucket

  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_s3_bucket_versioning" "state" {
  bucket = aws_s3_bucket.state.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_public_access_block" "state" {
  bucket                  = aws_s3_bucket.state.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.state.id
  rule {
    id     = "old-state-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 90
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }
}

output "backend_hcl" {
  description = "Per environment: save as infra/backend-<environment>.hcl, then `terraform init -backend-config=backend-<environment>.hcl` in infra/ (one state per environment)."
  value = { for e in var.environments : e => <<-EOT
    bucket       = "${aws_s3_bucket.state.id}"
    key          = "spares/${e}.tfstate"
    region       = "${var.region}"
    encrypt      = true
    use_lockfile = true
  EOT
  }
}
