aws iam update-access-key --user-name <user-name> --access-key-id <access-key-id> --status Inactive
