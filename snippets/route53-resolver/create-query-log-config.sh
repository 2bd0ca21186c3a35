aws route53resolver create-resolver-query-log-config --name <value> --destination-arn <value>
