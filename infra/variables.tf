variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "eu-central-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must look like eu-central-1."
  }
}

variable "environment" {
  description = "Name of this deployment (prefix of every resource name), e.g. prod or staging."
  type        = string
  default     = "prod"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,15}$", var.environment))
    error_message = "environment: 2-16 characters, lowercase letters, digits and dashes, starting with a letter."
  }
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC; split into 2 public and 2 private subnets."
  type        = string
  default     = "10.20.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be a valid IPv4 CIDR of /20 or larger."
  }
}

variable "domain_name" {
  description = "Public host name (e.g. spares.example.org). Set it with route53_zone_id to get HTTPS with an ACM certificate; empty serves plain HTTP on the ALB's DNS name."
  type        = string
  default     = ""

  validation {
    condition     = var.domain_name == "" || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase host name such as spares.example.org, or empty."
  }
}

variable "route53_zone_id" {
  description = "Route 53 hosted zone that holds domain_name (for the certificate's DNS validation and the alias record). Required when domain_name is set."
  type        = string
  default     = ""

  validation {
    condition     = var.route53_zone_id == "" || can(regex("^Z[A-Z0-9]{4,32}$", var.route53_zone_id))
    error_message = "route53_zone_id must be a hosted zone id such as Z0123456789ABCDEFGHIJ, or empty."
  }
}

variable "allowed_ingress_cidrs" {
  description = "Who may reach the load balancer (ports 80/443)."
  type        = list(string)
  default     = ["0.0.0.0/0"]

  validation {
    condition     = length(var.allowed_ingress_cidrs) > 0 && alltrue([for c in var.allowed_ingress_cidrs : can(cidrhost(c, 0))])
    error_message = "allowed_ingress_cidrs must be a non-empty list of IPv4 CIDR blocks."
  }
}

variable "instance_type" {
  description = "EC2 instance type of the ECS container instances."
  type        = string
  default     = "t3.small"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must look like t3.small."
  }
}

variable "instance_count" {
  description = "Container instances: min and max of the Auto Scaling group (the capacity provider scales between them)."
  type = object({
    min = number
    max = number
  })
  default = { min = 1, max = 3 }

  validation {
    condition     = var.instance_count.min >= 1 && var.instance_count.max >= var.instance_count.min && var.instance_count.max <= 20
    error_message = "instance_count needs 1 <= min <= max <= 20."
  }
}

variable "image_tag" {
  description = "Tag of the spares image in ECR (the git commit CI/CD pushed) used when Terraform creates the task definitions. Later images are deployed by CI/CD, which registers new revisions (.github/workflows/deploy.yml)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.image_tag))
    error_message = "image_tag must be a valid Docker tag."
  }
}

variable "web_desired_count" {
  description = "Number of web tasks behind the load balancer."
  type        = number
  default     = 2

  validation {
    condition     = var.web_desired_count >= 1 && var.web_desired_count <= 10
    error_message = "web_desired_count must be between 1 and 10."
  }
}

variable "enable_bot" {
  description = "Run the Telegram bot (one task). Needs the bot token in the secret named by the output secrets.telegram_token."
  type        = bool
  default     = true
}

variable "bot_allowed_users" {
  description = "Telegram user ids allowed to use the bot (SPARES_BOT_ALLOWED_USERS). Not secret: an id alone grants nothing."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for u in var.bot_allowed_users : can(regex("^[0-9]{1,20}$", u))])
    error_message = "bot_allowed_users must be numeric Telegram user ids."
  }
}

variable "external_database" {
  description = "true: use a MongoDB outside this stack (Atlas, DocumentDB) whose connection string you put in the database_url secret, and run no MongoDB service. false: run MongoDB as an ECS service with its data on EFS."
  type        = bool
  default     = false
}

variable "mongo_image" {
  description = "MongoDB image for the in-stack database (external_database = false)."
  type        = string
  default     = "mongo:7.0"

  validation {
    condition     = can(regex("^[a-z0-9./_-]+:[A-Za-z0-9_.-]+$", var.mongo_image))
    error_message = "mongo_image must be image:tag."
  }
}

variable "currency" {
  description = "SPARES_CURRENCY: ISO 4217 code assumed for prices given without one."
  type        = string
  default     = "EUR"

  validation {
    condition     = can(regex("^[A-Z]{3}$", var.currency))
    error_message = "currency must be a three-letter ISO 4217 code such as EUR."
  }
}

variable "read_access" {
  description = "SPARES_READ_ACCESS: public (anyone may read) or private (sign-in or API token needed to read)."
  type        = string
  default     = "private"

  validation {
    condition     = contains(["public", "private"], var.read_access)
    error_message = "read_access must be public or private."
  }
}

variable "log_retention_days" {
  description = "How long CloudWatch keeps the logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be one of CloudWatch's retention values (1, 3, 5, 7, 14, 30, 60, 90, ... 365, 400, ... 3653)."
  }
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows may push images and deploy (OIDC). Empty: no deploy role."
  type        = string
  default     = ""

  validation {
    condition     = var.github_repository == "" || can(regex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", var.github_repository))
    error_message = "github_repository must be owner/name."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC identity provider (only one per account: set false if it already exists)."
  type        = bool
  default     = true
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion (set false, apply, then destroy)."
  type        = bool
  default     = true
}

variable "alarm_email" {
  description = "E-mail address that receives the alarms and budget warnings (confirm the subscription mail once). Empty: the SNS topic exists without a subscriber."
  type        = string
  default     = ""

  validation {
    condition     = var.alarm_email == "" || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address or empty."
  }
}

variable "monthly_budget_usd" {
  description = "Monthly cost budget in USD: warned at 80 % of actual and 100 % of forecast spend (0: no budget)."
  type        = number
  default     = 150

  validation {
    condition     = var.monthly_budget_usd >= 0
    error_message = "monthly_budget_usd must be 0 or more."
  }
}

variable "backup_schedule" {
  description = "When the database is backed up to S3 (EventBridge Scheduler expression, UTC); empty: no scheduled backup."
  type        = string
  default     = "cron(15 3 * * ? *)"
}

variable "backup_retention_days" {
  description = "Days a backup is kept in S3 (older versions go 7 days after they are replaced)."
  type        = number
  default     = 35

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 3650
    error_message = "backup_retention_days must be between 1 and 3650."
  }
}

variable "aws_cli_image" {
  description = "Image that uploads the backup file to S3 (the AWS CLI)."
  type        = string
  default     = "public.ecr.aws/aws-cli/aws-cli:2.22.35"
}
