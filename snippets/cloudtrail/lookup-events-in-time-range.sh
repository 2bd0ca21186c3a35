aws cloudtrail lookup-events --start-time <start-time> --end-time <end-time>
