aws logs get-log-events --log-group-name my-logs --log-stream-name 20150601
