# Task definitions and services: web behind the ALB, the bot (one task, no
# load balancer) and, unless external_database, MongoDB with its data on EFS.
#
# Terraform creates the first revision of each task definition. CI/CD
# (.github/workflows/deploy.yml) deploys later images by copying the newest
# revision with the new image, so the services ignore task_definition here;
# a settings change made here is rolled out by the next deploy.

locals {
  log_options = {
    for k, g in aws_cloudwatch_log_group.app : k => {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = g.name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = k
      }
    }
  }

  # What web and bot both read (the same names as in docker-compose.yml and
  # .env.example; web/tests/it/deploy.rs checks they are what the programs read).
  app_environment = [
    { name = "SPARES_LOG_FORMAT", value = "json" },
    { name = "SPARES_PUBLIC_URL", value = local.public_url },
    { name = "RUST_LOG", value = "info" },
  ]

  app_secret = {
    for k, env in local.secrets : k => { name = env, valueFrom = aws_secretsmanager_secret.app[k].arn }
  }
}

resource "aws_ecs_task_definition" "web" {
  family                   = "${local.name}-web"
  requires_compatibilities = ["EC2"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 256
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  container_definitions = jsonencode([
    {
      name                   = "web"
      image                  = local.image
      essential              = true
      command                = ["serve"]
      readonlyRootFilesystem = true
      user                   = "65532:65532"
      portMappings           = [{ containerPort = local.web_port, protocol = "tcp" }]
      environment = concat(local.app_environment, [
        { name = "SPARES_LISTEN", value = "0.0.0.0:${local.web_port}" },
        { name = "SPARES_READ_ACCESS", value = var.read_access },
        { name = "SPARES_CURRENCY", value = var.currency },
        # The load balancer's nodes are in this VPC: their X-Forwarded-For
        # names the client (sign-in limits, logs).
        { name = "SPARES_TRUSTED_PROXIES", value = var.vpc_cidr },
      ])
      secrets = [for k in ["database_url", "admin_password_hash", "session_secret", "api_token"] : local.app_secret[k]]
      healthCheck = {
        command     = ["CMD", "/usr/local/bin/spares", "healthcheck"]
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = 10
      }
      stopTimeout      = 30
      logConfiguration = local.log_options["web"]
    }
  ])
}

resource "aws_ecs_service" "web" {
  name                              = "web"
  cluster                           = aws_ecs_cluster.main.id
  task_definition                   = aws_ecs_task_definition.web.arn
  desired_count                     = var.web_desired_count
  health_check_grace_period_seconds = 30
  # One task at a time: no extra network interface during a deploy (ecs.tf).
  deployment_minimum_healthy_percent = 50
  deployment_maximum_percent         = 100
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"

  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.ec2.name
    weight            = 1
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.web.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.web.arn
    container_name   = "web"
    container_port   = local.web_port
  }

  # A deployment whose tasks keep failing stops and rolls back by itself.
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  ordered_placement_strategy {
    type  = "spread"
    field = "attribute:ecs.availability-zone"
  }

  lifecycle {
    ignore_changes = [task_definition]
  }

  depends_on = [aws_lb_listener.http, aws_ecs_cluster_capacity_providers.main]
}

resource "aws_ecs_task_definition" "bot" {
  count                    = var.enable_bot ? 1 : 0
  family                   = "${local.name}-bot"
  requires_compatibilities = ["EC2"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 256
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  container_definitions = jsonencode([
    {
      name                   = "bot"
      image                  = local.image
      essential              = true
      entryPoint             = ["/usr/local/bin/spares-bot"]
      readonlyRootFilesystem = true
      user                   = "65532:65532"
      environment = concat(local.app_environment, [
        { name = "SPARES_BOT_ALLOWED_USERS", value = join(",", var.bot_allowed_users) },
      ])
      secrets          = [for k in ["database_url", "telegram_token"] : local.app_secret[k]]
      stopTimeout      = 30
      logConfiguration = local.log_options["bot"]
    }
  ])
}

resource "aws_ecs_service" "bot" {
  count           = var.enable_bot ? 1 : 0
  name            = "bot"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.bot[0].arn
  desired_count   = 1
  # Telegram allows one long-polling client per token: stop the old task
  # before starting the new one.
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"

  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.ec2.name
    weight            = 1
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.bot.id]
    assign_public_ip = false
  }

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  lifecycle {
    ignore_changes = [task_definition]
  }

  depends_on = [aws_ecs_cluster_capacity_providers.main]
}

# MongoDB: one task (a second mongod must never open the same files), found
# by the others as mongo.<name>.internal through Cloud Map.

resource "aws_service_discovery_private_dns_namespace" "main" {
  count = var.external_database ? 0 : 1
  name  = "${local.name}.internal"
  vpc   = aws_vpc.main.id
}

resource "aws_service_discovery_service" "mongo" {
  count = var.external_database ? 0 : 1
  name  = "mongo"

  dns_config {
    namespace_id   = aws_service_discovery_private_dns_namespace.main[0].id
    routing_policy = "MULTIVALUE"
    dns_records {
      type = "A"
      ttl  = 10
    }
  }

  health_check_custom_config {
    failure_threshold = 1
  }
}

resource "aws_ecs_task_definition" "mongo" {
  count                    = var.external_database ? 0 : 1
  family                   = "${local.name}-mongo"
  requires_compatibilities = ["EC2"]
  network_mode             = "awsvpc"
  cpu                      = 512
  memory                   = 768
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.mongo_task[0].arn

  volume {
    name = "mongo-data"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.mongo[0].id
      transit_encryption = "ENABLED"
      authorization_config {
        access_point_id = aws_efs_access_point.mongo[0].id
        iam             = "ENABLED"
      }
    }
  }

  container_definitions = jsonencode([
    {
      name      = "mongo"
      image     = var.mongo_image
      essential = true
      user      = "999:999"
      # A one-member replica set, as in docker-compose.yml, so the app has
      # transactions in production too. Replica sets with authentication need
      # a key file: it comes from Secrets Manager (MONGO_KEYFILE), written
      # owner-only before mongod starts. The member is named localhost:27017
      # (stable across task restarts, whose addresses change); clients use
      # directConnection=true (outputs.tf, database_url_example).
      entryPoint = ["bash", "-c"]
      command = [join(" ", [
        "umask 077 && printf '%s\\n' \"$MONGO_KEYFILE\" > /tmp/mongo-keyfile && unset MONGO_KEYFILE &&",
        "exec docker-entrypoint.sh mongod --replSet rs0 --bind_ip_all --keyFile /tmp/mongo-keyfile --wiredTigerCacheSizeGB 0.25",
      ])]
      portMappings = [{ containerPort = local.mongo_port, protocol = "tcp" }]
      environment  = [{ name = "MONGO_INITDB_ROOT_USERNAME", value = "spares" }]
      secrets      = [local.app_secret["mongo_root_password"], local.app_secret["mongo_keyfile"]]
      mountPoints  = [{ sourceVolume = "mongo-data", containerPath = "/data/db", readOnly = false }]
      # Initiates the replica set on the first start; healthy only as PRIMARY.
      healthCheck = {
        command = ["CMD-SHELL", join(" ", [
          "mongosh --quiet -u \"$MONGO_INITDB_ROOT_USERNAME\" -p \"$MONGO_INITDB_ROOT_PASSWORD\" --authenticationDatabase admin --eval",
          "\"try { rs.status().ok } catch (e) { rs.initiate({_id: 'rs0', members: [{_id: 0, host: 'localhost:27017'}]}) }; quit(db.hello().isWritablePrimary ? 0 : 1)\"",
        ])]
        interval    = 15
        timeout     = 10
        retries     = 5
        startPeriod = 30
      }
      stopTimeout      = 60
      logConfiguration = local.log_options["mongo"]
    }
  ])
}

resource "aws_ecs_service" "mongo" {
  count           = var.external_database ? 0 : 1
  name            = "mongo"
  cluster         = aws_ecs_cluster.main.id
  task_definition = aws_ecs_task_definition.mongo[0].arn
  desired_count   = 1
  # Never two at once on the same data.
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100

  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.ec2.name
    weight            = 1
  }

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.mongo[0].id]
    assign_public_ip = false
  }

  service_registries {
    registry_arn = aws_service_discovery_service.mongo[0].arn
  }

  depends_on = [aws_ecs_cluster_capacity_providers.main, aws_efs_mount_target.mongo]
}
