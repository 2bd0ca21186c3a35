aws logs filter-log-events --log-group-name my-group --log-stream-names my-stream --filter-pattern ERROR
