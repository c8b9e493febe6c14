{{ ssd_base('ssd_cp_plans') }}
