aws logs filter-log-events --log-group-name my-group --log-stream-names my-stream --start-time 1482197400000 --end-time 1482217558365 --filter-pattern ERROR
