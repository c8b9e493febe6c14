-- Pins the keyed hash (hmac_sha256_hex, behind child_key) and dbt.hash (behind surrogate_key)
-- to the same answers on DuckDB and Spark. The expected values are Python's:
-- hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest() and
-- hashlib.md5(b'abc').hexdigest(); the first is RFC 4231's test case 2. Keys shorter than,
-- exactly and longer than SHA-256's 64-byte block, in bytes of UTF-8 (é is two, the key
-- emoji four). Returns each example that differs.
with

examples as (

    select 'RFC 4231 test case 2' as case_name, 'Jefe' as hash_key,
        'what do ya want for nothing?' as message,
        '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' as expected
    union all
    select '131-byte key: hashed first', repeat('k', 131), concat('878', chr(31), 'P1'),
        '6ed3c3a4c896e9772c7dd5c1da9b5247e896207a8b05af9ae180f0c976deed22'
    union all
    select '66-byte key of 33 characters: hashed first', repeat('é', 33), 'Zoë Ångström',
        '634b41cef85bfe25d816ca5b6687a1571a14db096fed874ad9ba9642a2061448'
    union all
    select '64-byte key of 16 characters: used as it is', repeat('🔑', 16), concat('879', chr(31), '日本語'),
        'fad013b3adefc800400b9269e1c8f5beb41755a75828892486ac18652af7eb49'
    union all
    select '64-byte key, empty message', repeat('a', 64), '',
        'b389ef8fc24e40e35b42b70221b466916836a241257699d090bc736b8ad21b98'
    union all
    select '63-byte key, a quote in the message', repeat('b', 63), concat('O', chr(39), 'Brien'),
        'f4a5d803139f13c192615118c55c2bab6966ab3b83dc3bf1d3267b16b5638cc5'

),

calculated as (

    select
        case_name,
        expected,
        {{ csc.hmac_sha256_hex('hash_key', 'message') }} as actual
    from examples

    union all

    select
        'dbt.hash of abc' as case_name,
        '900150983cd24fb0d6963f7d28e17f72' as expected,
        {{ dbt.hash("'abc'") }} as actual

),

failures as (

    select *
    from calculated
    where actual is null or actual <> expected

)

select * from failures
