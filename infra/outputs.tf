output "url" {
  description = "Where Spares answers."
  value       = local.public_url
}

output "alb_dns_name" {
  description = "The load balancer's DNS name (point a CNAME here if the domain is not in Route 53)."
  value       = aws_lb.web.dns_name
}

output "ecr_repository_url" {
  description = "Push the spares image here (tag = git commit)."
  value       = aws_ecr_repository.spares.repository_url
}

output "cluster_name" {
  description = "ECS cluster."
  value       = aws_ecs_cluster.main.name
}

output "services" {
  description = "ECS service names (for the deploy workflow)."
  value = {
    web   = aws_ecs_service.web.name
    bot   = var.enable_bot ? aws_ecs_service.bot[0].name : null
    mongo = var.external_database ? null : aws_ecs_service.mongo[0].name
  }
}

output "task_definition_families" {
  description = "Task definition families (the deploy workflow copies their newest revision with a new image)."
  value = {
    web = aws_ecs_task_definition.web.family
    bot = var.enable_bot ? aws_ecs_task_definition.bot[0].family : null
  }
}

output "secrets" {
  description = "Secrets Manager secret names to fill with `aws secretsmanager put-secret-value` (README.md, Secrets)."
  value       = { for k, s in aws_secretsmanager_secret.app : k => s.name }
}

output "database_url_example" {
  description = "What to put in the database_url secret for the in-stack MongoDB (replace PASSWORD with the mongo_root_password secret's value)."
  value       = var.external_database ? "your Atlas/DocumentDB connection string" : "mongodb://spares:PASSWORD@${local.mongo_host}:${local.mongo_port}/spares?authSource=admin&directConnection=true"
}

output "github_deploy_role_arn" {
  description = "Role the GitHub workflow assumes through OIDC (set it as the repository variable AWS_DEPLOY_ROLE_ARN)."
  value       = var.github_repository == "" ? null : aws_iam_role.github_deploy[0].arn
}

output "alarm_topic_arn" {
  description = "SNS topic of the alarms and budget warnings (subscribe more endpoints to it if needed)."
  value       = aws_sns_topic.alarms.arn
}
