terraform {
  # 1.10: the S3 backend's own lock file (use_lockfile); 1.7: mock
  # providers for `terraform test` (tests/).
  required_version = ">= 1.10"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }

  # State lives in S3 with DynamoDB locking. The bucket and table are made once
  # by ./bootstrap (see README.md); their names are passed at init:
  #   terraform init -backend-config=backend.hcl
  backend "s3" {}
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "spares"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}
