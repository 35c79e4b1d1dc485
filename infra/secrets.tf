# Secrets live in Secrets Manager, encrypted with the stack's key. Terraform
# creates the empty containers only: the values are put once with the AWS CLI
# (README.md, "Secrets") and so never appear in variables, plans or state.
# Task definitions reference them by ARN; ECS injects them as environment
# variables when a task starts.

locals {
  secrets = merge(
    {
      # mongodb://user:password@host:27017/spares?authSource=admin
      database_url = "SPARES_DATABASE_URL"
      # `spares hash-password` output (argon2 PHC string).
      admin_password_hash = "SPARES_ADMIN_PASSWORD_HASH"
      # 32+ random characters; the same for every web task.
      session_secret = "SPARES_SESSION_SECRET"
      # Bearer token for JSON API writes.
      api_token = "SPARES_API_TOKEN"
    },
    var.enable_bot ? { telegram_token = "TELOXIDE_TOKEN" } : {},
    # The in-stack MongoDB: its root password, and the replica set's key
    # file (`openssl rand -base64 756`).
    var.external_database ? {} : {
      mongo_root_password = "MONGO_INITDB_ROOT_PASSWORD"
      mongo_keyfile       = "MONGO_KEYFILE"
    },
  )
}

resource "aws_secretsmanager_secret" "app" {
  #checkov:skip=CKV2_AWS_57:These values are chosen by a person (bot token from @BotFather, admin password hash, database password) and rotated by hand (README.md, Secrets); automatic rotation would need a Lambda per kind.
  for_each                = local.secrets
  name                    = "spares/${var.environment}/${each.key}"
  description             = "Spares ${var.environment}: ${each.value}"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 7
}
