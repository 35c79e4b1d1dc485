# Security groups. Tasks run in awsvpc mode, so each service has its own
# group: the ALB takes 80/443 from the internet; web tasks take only the ALB;
# MongoDB takes only the web and bot tasks; EFS takes only the MongoDB task.
# With awsvpc on EC2 the EFS volume is mounted through the task's own network
# interface (its security group), not the instance's: so the MongoDB group
# needs egress to EFS on 2049, and EFS must admit that group.

resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Load balancer: HTTP/HTTPS from allowed_ingress_cidrs"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  #checkov:skip=CKV_AWS_260:Port 80 only redirects to HTTPS when a domain is set (alb.tf); it is the public entry of a public web app.
  for_each          = toset(var.allowed_ingress_cidrs)
  security_group_id = aws_security_group.alb.id
  description       = "HTTP (redirected to HTTPS when a domain is set)"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
}

resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each          = local.https ? toset(var.allowed_ingress_cidrs) : toset([])
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS"
  cidr_ipv4         = each.value
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "alb_to_web" {
  security_group_id            = aws_security_group.alb.id
  description                  = "To the web tasks"
  referenced_security_group_id = aws_security_group.web.id
  ip_protocol                  = "tcp"
  from_port                    = local.web_port
  to_port                      = local.web_port
}

resource "aws_security_group" "web" {
  name        = "${local.name}-web"
  description = "Web tasks: only from the load balancer"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "web_from_alb" {
  security_group_id            = aws_security_group.web.id
  description                  = "From the load balancer"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = local.web_port
  to_port                      = local.web_port
}

resource "aws_security_group" "bot" {
  name        = "${local.name}-bot"
  description = "Bot task: no inbound; out to Telegram and the database"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_egress_rule" "bot_https" {
  security_group_id = aws_security_group.bot.id
  description       = "api.telegram.org (long polling) over HTTPS"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

# Web and bot tasks reach the database: the in-stack MongoDB by its security
# group, or an external one (Atlas, DocumentDB) on its port anywhere.
resource "aws_vpc_security_group_egress_rule" "app_to_mongo" {
  for_each                     = var.external_database ? {} : local.database_clients
  security_group_id            = each.value
  description                  = "To MongoDB"
  referenced_security_group_id = aws_security_group.mongo[0].id
  ip_protocol                  = "tcp"
  from_port                    = local.mongo_port
  to_port                      = local.mongo_port
}

resource "aws_vpc_security_group_egress_rule" "app_to_external_db" {
  for_each          = var.external_database ? local.database_clients : {}
  security_group_id = each.value
  description       = "To the external MongoDB (Atlas/DocumentDB)"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = local.mongo_port
  to_port           = local.mongo_port
}

# Who talks to the database: the web and bot tasks, and the backup task.
locals {
  database_clients = {
    web    = aws_security_group.web.id
    bot    = aws_security_group.bot.id
    backup = aws_security_group.backup.id
  }
}

resource "aws_security_group" "backup" {
  #checkov:skip=CKV2_AWS_5:Attached to the backup task by the schedule's network configuration (backup.tf), which checkov does not follow.
  name        = "${local.name}-backup"
  description = "Backup task: no inbound; out to the database and S3"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_egress_rule" "backup_https" {
  security_group_id = aws_security_group.backup.id
  description       = "S3 over HTTPS (via NAT)"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_security_group" "mongo" {
  count       = var.external_database ? 0 : 1
  name        = "${local.name}-mongo"
  description = "MongoDB task: only from the web, bot and backup tasks"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "mongo_from_app" {
  for_each                     = var.external_database ? {} : local.database_clients
  security_group_id            = aws_security_group.mongo[0].id
  description                  = "From the ${each.key} tasks"
  referenced_security_group_id = each.value
  ip_protocol                  = "tcp"
  from_port                    = local.mongo_port
  to_port                      = local.mongo_port
}

resource "aws_security_group" "instances" {
  name        = "${local.name}-instances"
  description = "ECS container instances: no inbound; out to AWS APIs"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_egress_rule" "instances_https" {
  security_group_id = aws_security_group.instances.id
  description       = "ECS, ECR, CloudWatch Logs, Secrets Manager, SSM over HTTPS (via NAT)"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "mongo_to_efs" {
  count                        = var.external_database ? 0 : 1
  security_group_id            = aws_security_group.mongo[0].id
  description                  = "NFS to its file system (awsvpc mounts through the task's interface)"
  referenced_security_group_id = aws_security_group.efs[0].id
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
}

resource "aws_security_group" "efs" {
  count       = var.external_database ? 0 : 1
  name        = "${local.name}-efs"
  description = "MongoDB data on EFS: NFS only from the MongoDB task"
  vpc_id      = aws_vpc.main.id
}

resource "aws_vpc_security_group_ingress_rule" "efs_from_mongo" {
  count                        = var.external_database ? 0 : 1
  security_group_id            = aws_security_group.efs[0].id
  description                  = "NFS from the MongoDB task"
  referenced_security_group_id = aws_security_group.mongo[0].id
  ip_protocol                  = "tcp"
  from_port                    = 2049
  to_port                      = 2049
}
