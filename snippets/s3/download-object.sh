aws s3 cp s3://<bucket>/<object> <destination>
