aws cloudtrail get-trail-status --name Trail1
