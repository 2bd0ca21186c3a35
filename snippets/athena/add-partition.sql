ALTER TABLE cloudtrail_logs ADD
PARTITION (region='us-east-1', year='2017', month='02', day='16')
LOCATION 's3://<cloudtrail-bucket>/AWSLogs/<account-id>/CloudTrail/us-east-1/2017/02/16/';
