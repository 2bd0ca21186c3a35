aws configservice put-config-rule --config-rule file://RequiredTagsForEC2Instances.json
