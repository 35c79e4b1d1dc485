# Shared names and the values every other file uses.

# Zones a, b and c of the region (a closed set: a zone AWS adds later never
# moves subnets); the first two available ones are used.
data "aws_availability_zones" "available" {
  state = "available"
  filter {
    name   = "zone-name"
    values = ["${var.region}a", "${var.region}b", "${var.region}c"]
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  name = "spares-${var.environment}"
  azs  = slice(data.aws_availability_zones.available.names, 0, 2)

  # The web app listens here inside its task (SPARES_LISTEN); the Dockerfile's
  # EXPOSE, docker-compose.yml and nginx use the same port (tests/it/deploy.rs).
  web_port    = 8080
  health_path = "/healthz"
  mongo_port  = 27017

  https      = var.domain_name != ""
  public_url = local.https ? "https://${var.domain_name}" : "http://${aws_lb.web.dns_name}"

  # MongoDB inside the stack is found by the tasks through Cloud Map.
  mongo_host = "mongo.${local.name}.internal"

  image = "${aws_ecr_repository.spares.repository_url}:${var.image_tag}"
}
