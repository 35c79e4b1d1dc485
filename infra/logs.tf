# CloudWatch log groups, encrypted, with retention. The containers log JSON
# (SPARES_LOG_FORMAT=json), one object per line, so Logs Insights can query
# fields such as request_id, status and latency.

resource "aws_cloudwatch_log_group" "app" {
  for_each          = toset(["web", "bot", "mongo", "backup"])
  name              = "/spares/${var.environment}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_cloudwatch_log_group" "flow" {
  name              = "/spares/${var.environment}/vpc-flow"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}

resource "aws_cloudwatch_log_group" "ecs_exec" {
  name              = "/spares/${var.environment}/ecs-exec"
  retention_in_days = var.log_retention_days
  kms_key_id        = aws_kms_key.main.arn
}
