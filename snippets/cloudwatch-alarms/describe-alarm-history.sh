aws cloudwatch describe-alarm-history --alarm-name "myalarm" --history-item-type StateUpdate
