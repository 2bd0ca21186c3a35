aws cloudtrail lookup-events --start-time <timestamp> --end-time <timestamp>
