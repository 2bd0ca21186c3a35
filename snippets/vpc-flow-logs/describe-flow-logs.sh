aws ec2 describe-flow-logs
