aws cloudwatch describe-alarms --alarm-names "myalarm"
