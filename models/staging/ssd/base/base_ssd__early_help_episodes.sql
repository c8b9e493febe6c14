{{ ssd_base('ssd_early_help_episodes') }}
