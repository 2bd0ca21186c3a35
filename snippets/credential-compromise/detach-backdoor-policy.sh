aws iam detach-user-policy --user-name <user-name> --policy-arn <policy-arn>
