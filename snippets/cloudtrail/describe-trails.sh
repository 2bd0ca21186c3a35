aws cloudtrail describe-trails --trail-name-list Trail1 Trail2
