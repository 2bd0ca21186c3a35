aws ec2 describe-instances --query "Reservations[*].Instances[].[KeyName, InstanceId]"
