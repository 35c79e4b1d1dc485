# ECS cluster on EC2: a launch template with the ECS-optimized Amazon Linux
# 2023 AMI (read from its public SSM parameter, so each apply picks the
# current one), an Auto Scaling group in the private subnets, and a capacity
# provider whose managed scaling adds instances when tasks cannot be placed.
#
# Tasks use awsvpc networking (one network interface each, own security
# group). A t3.small has 3 interfaces, one its own, so it holds 2 tasks: the
# default 2 web tasks, the bot and MongoDB need 2 instances. A rolling web
# deployment replaces one task at a time (services.tf: minimum 50 %, maximum
# 100 %), so it never needs a fifth interface and never waits for a new
# instance; the price is one web task serving alone for a minute. (ENI
# trunking would give more interfaces, but t3 instances do not support it.)
#
# Instance refreshes and `terraform destroy` do not hang on the instances'
# scale-in protection: a refresh replaces protected instances too
# (`scale_in_protected_instances = "Refresh"`), ECS drains them first
# (`managed_draining`), and destroy deletes the group without waiting
# (`force_delete`).

data "aws_ssm_parameter" "ecs_ami" {
  name = "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id"
}

resource "aws_ecs_cluster" "main" {
  name = local.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_launch_template" "ecs" {
  name_prefix            = "${local.name}-"
  image_id               = data.aws_ssm_parameter.ecs_ami.value
  instance_type          = var.instance_type
  vpc_security_group_ids = [aws_security_group.instances.id]
  update_default_version = true

  iam_instance_profile {
    arn = aws_iam_instance_profile.instance.arn
  }

  # IMDSv2 only, one hop: containers cannot reach the instance's credentials.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = 30
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  monitoring {
    enabled = true
  }

  user_data = base64encode(<<-EOT
    #!/bin/bash
    cat >> /etc/ecs/ecs.config <<'CONFIG'
    ECS_CLUSTER=${aws_ecs_cluster.main.name}
    ECS_AWSVPC_BLOCK_IMDS=true
    ECS_ENABLE_CONTAINER_METADATA=true
    ECS_CONTAINER_STOP_TIMEOUT=30s
    CONFIG
  EOT
  )

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = "${local.name}-ecs" }
  }
}

resource "aws_autoscaling_group" "ecs" {
  name                  = "${local.name}-ecs"
  vpc_zone_identifier   = aws_subnet.private[*].id
  min_size              = var.instance_count.min
  max_size              = var.instance_count.max
  health_check_type     = "EC2"
  protect_from_scale_in = true # the capacity provider decides which instance goes
  force_delete          = true # destroy terminates protected instances too

  launch_template {
    id      = aws_launch_template.ecs.id
    version = aws_launch_template.ecs.latest_version
  }

  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage       = 50
      skip_matching                = true
      scale_in_protected_instances = "Refresh"
    }
  }

  # ECS manages the desired capacity through the capacity provider.
  lifecycle {
    ignore_changes = [desired_capacity]
  }

  tag {
    key                 = "AmazonECSManaged"
    value               = "true"
    propagate_at_launch = true
  }
}

resource "aws_ecs_capacity_provider" "ec2" {
  name = "${local.name}-ec2"

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.ecs.arn
    managed_termination_protection = "ENABLED"
    managed_draining               = "ENABLED"

    managed_scaling {
      status                    = "ENABLED"
      target_capacity           = 100
      minimum_scaling_step_size = 1
      maximum_scaling_step_size = 2
    }
  }
}

resource "aws_ecs_cluster_capacity_providers" "main" {
  cluster_name       = aws_ecs_cluster.main.name
  capacity_providers = [aws_ecs_capacity_provider.ec2.name]

  default_capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.ec2.name
    weight            = 1
  }
}
