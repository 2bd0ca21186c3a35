aws s3 ls
