{{ ssd_base('ssd_initial_cp_conference') }}
