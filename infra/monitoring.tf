# Alarms to one SNS topic (e-mail: var.alarm_email): the load balancer's 5xx
# answers, unhealthy targets, a service with no running task (web, bot,
# MongoDB), EFS nearing its I/O limit, and a monthly budget.
#
# EFS uses elastic throughput (efs.tf), which has no burst credits to run
# out of; what can run out is the general-purpose mode's I/O limit, so that
# is what is watched (PercentIOLimit).

resource "aws_sns_topic" "alarms" {
  name              = "${local.name}-alarms"
  kms_master_key_id = aws_kms_key.main.id
}

resource "aws_sns_topic_subscription" "alarm_email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

locals {
  alarm_actions = [aws_sns_topic.alarms.arn]

  # Services whose running task count must not drop to zero.
  watched_services = merge(
    { web = aws_ecs_service.web.name },
    var.enable_bot ? { bot = aws_ecs_service.bot[0].name } : {},
    var.external_database ? {} : { mongo = aws_ecs_service.mongo[0].name },
  )
}

# 5xx from the web app (Target) or from the load balancer itself (ELB: no
# healthy target, timeouts): more than 5 in 5 minutes.
resource "aws_cloudwatch_metric_alarm" "alb_5xx" {
  for_each = {
    target = "HTTPCode_Target_5XX_Count"
    elb    = "HTTPCode_ELB_5XX_Count"
  }
  alarm_name          = "${local.name}-alb-${each.key}-5xx"
  alarm_description   = "${each.value} over 5 in 5 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = each.value
  dimensions          = { LoadBalancer = aws_lb.web.arn_suffix }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 5
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_targets" {
  alarm_name          = "${local.name}-unhealthy-targets"
  alarm_description   = "A web task failed the load balancer's health check for 3 minutes."
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  dimensions          = { LoadBalancer = aws_lb.web.arn_suffix, TargetGroup = aws_lb_target_group.web.arn_suffix }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  threshold           = 0
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "no_running_task" {
  for_each            = local.watched_services
  alarm_name          = "${local.name}-${each.key}-not-running"
  alarm_description   = "The ${each.key} service has had no running task for 5 minutes."
  namespace           = "ECS/ContainerInsights"
  metric_name         = "RunningTaskCount"
  dimensions          = { ClusterName = aws_ecs_cluster.main.name, ServiceName = each.value }
  statistic           = "Minimum"
  period              = 60
  evaluation_periods  = 5
  threshold           = 1
  comparison_operator = "LessThanThreshold"
  # No data means no task reported anything: as bad as zero.
  treat_missing_data = "breaching"
  alarm_actions      = local.alarm_actions
  ok_actions         = local.alarm_actions
}

resource "aws_cloudwatch_metric_alarm" "efs_io_limit" {
  count               = var.external_database ? 0 : 1
  alarm_name          = "${local.name}-efs-io-limit"
  alarm_description   = "MongoDB's file system used over 90 % of its I/O limit for 15 minutes."
  namespace           = "AWS/EFS"
  metric_name         = "PercentIOLimit"
  dimensions          = { FileSystemId = aws_efs_file_system.mongo[0].id }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 3
  threshold           = 90
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = local.alarm_actions
  ok_actions          = local.alarm_actions
}

resource "aws_budgets_budget" "monthly" {
  count        = var.monthly_budget_usd > 0 ? 1 : 0
  name         = "${local.name}-monthly"
  budget_type  = "COST"
  limit_amount = tostring(var.monthly_budget_usd)
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = ["user:Project$spares"]
  }

  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 80
    threshold_type            = "PERCENTAGE"
    notification_type         = "ACTUAL"
    subscriber_sns_topic_arns = [aws_sns_topic.alarms.arn]
  }

  notification {
    comparison_operator       = "GREATER_THAN"
    threshold                 = 100
    threshold_type            = "PERCENTAGE"
    notification_type         = "FORECASTED"
    subscriber_sns_topic_arns = [aws_sns_topic.alarms.arn]
  }
}

# Who may publish to the topic: CloudWatch alarms and Budgets of this account.
resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarm_topic.json
}

data "aws_iam_policy_document" "alarm_topic" {
  statement {
    sid       = "AlarmPublishers"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com", "budgets.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}
