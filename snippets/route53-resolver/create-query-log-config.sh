aws route53resolver create-resolver-query-log-config --name <config-name> --destination-arn <destination-arn>
