aws cloudwatch list-metrics \
    --namespace "AWS/SNS"
