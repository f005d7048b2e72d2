"""Regular expressions generated from grammar/*.lark
by `python -m tools.regex_compiler`.

Do not edit: regenerate. A test fails when this file is stale.
"""

# (grammar, start): (portable pattern, pattern with named groups, rule of each group)
PATTERNS: dict[tuple[str, str], tuple[str, str, tuple[str, ...]]] = {
    ('ydb_version', 'valid_version'): (
        '[0-9][0-9]\\.[0-9]+(?:\\.[0-9]+(?:\\.[0-9]+)?)?(?:-(?:testing|stable|lts))?',
        '(?P<year>[0-9][0-9])\\.(?P<major>[0-9]+)(?:\\.(?P<minor>[0-9]+)(?:\\.(?P<patch>[0-9]+))?)?(?:-(?P<version_type>(?:testing|stable|lts)))?',
        ('year', 'major', 'minor', 'patch', 'version_type'),
    ),
    ('ydb_release', 'release'): (
        '(?:(?:v\\.|v)?(?:[0-9][0-9]\\.[0-9]+(?:\\.[0-9]+(?:\\.[0-9]+)?)?(?:-(?:testing|stable|lts))?|[0-9][0-9]\\.[0-9]+(?:\\.[0-9]+(?:\\.[0-9]+)?)?-rc(?:\\.?[0-9]+)?|[0-9][0-9]\\.[0-9]+\\.[0-9]+\\.ent\\.[0-9]+)|(?:[0-9][0-9]\\.[0-9]+\\.[0-9]+\\.[0-9]+|[0-9][0-9]\\.[0-9]+\\.[0-9]+\\.ent\\.[0-9]+|[0-9][0-9]\\.[0-9]+\\.[0-9]+\\.[0-9]+(?:[a-z]|rc(?:[0-9]+)?|-hotfix[a-z](?:[a-z]|[0-9])*(?:-[0-9]+)?))\\.[0-9a-f]{7,40}|(?:stable-|prestable-|ydb-stable-)?[0-9][0-9]-[0-9]+(?:-[0-9]+(?:-[0-9]+)?(?:-hotfix(?:-[0-9]+)?)?)?(?:\\.[0-9a-f]{7,40})?|(?:trunk|main)(?:\\.[0-9a-f]{7,40})?)',
        '(?:(?:v\\.|v)?(?:(?P<year>[0-9][0-9])\\.(?P<major>[0-9]+)(?:\\.(?P<minor>[0-9]+)(?:\\.(?P<patch>[0-9]+))?)?(?:-(?P<version_type>(?:testing|stable|lts)))?|(?P<year__2>[0-9][0-9])\\.(?P<major__2>[0-9]+)(?:\\.(?P<minor__2>[0-9]+)(?:\\.(?P<patch__2>[0-9]+))?)?-(?P<CANDIDATE>rc)(?:\\.?(?P<CANDIDATE_NUMBER>[0-9]+))?|(?P<year__3>[0-9][0-9])\\.(?P<major__3>[0-9]+)\\.(?P<minor__3>[0-9]+)\\.(?P<ENTERPRISE>ent)\\.(?P<patch__3>[0-9]+))|(?:(?P<year__4>[0-9][0-9])\\.(?P<major__4>[0-9]+)\\.(?P<minor__4>[0-9]+)\\.(?P<patch__4>[0-9]+)|(?P<year__5>[0-9][0-9])\\.(?P<major__5>[0-9]+)\\.(?P<minor__5>[0-9]+)\\.(?P<ENTERPRISE__2>ent)\\.(?P<patch__5>[0-9]+)|(?P<year__6>[0-9][0-9])\\.(?P<major__6>[0-9]+)\\.(?P<minor__6>[0-9]+)\\.(?P<patch__6>[0-9]+)(?:(?P<REBUILD>[a-z])|(?P<CANDIDATE__2>rc)(?P<CANDIDATE_NUMBER__2>[0-9]+)?|(?P<HOTFIX_BRANCH>-hotfix[a-z](?:[a-z]|[0-9])*)(?:-(?P<HOTFIX_NUMBER>[0-9]+))?))\\.(?P<COMMIT>[0-9a-f]{7,40})|(?:stable-|prestable-|ydb-stable-)?(?P<year__7>[0-9][0-9])-(?P<major__7>[0-9]+)(?:-(?P<minor__7>[0-9]+)(?:-(?P<patch__7>[0-9]+))?(?:-(?P<HOTFIX>hotfix)(?:-(?P<HOTFIX_NUMBER__2>[0-9]+))?)?)?(?:\\.(?P<COMMIT__2>[0-9a-f]{7,40}))?|(?P<DEVELOPMENT>(?:trunk|main))(?:\\.(?P<COMMIT__3>[0-9a-f]{7,40}))?)',
        ('year', 'major', 'minor', 'patch', 'version_type', 'year', 'major', 'minor', 'patch', 'CANDIDATE', 'CANDIDATE_NUMBER', 'year', 'major', 'minor', 'ENTERPRISE', 'patch', 'year', 'major', 'minor', 'patch', 'year', 'major', 'minor', 'ENTERPRISE', 'patch', 'year', 'major', 'minor', 'patch', 'REBUILD', 'CANDIDATE', 'CANDIDATE_NUMBER', 'HOTFIX_BRANCH', 'HOTFIX_NUMBER', 'COMMIT', 'year', 'major', 'minor', 'patch', 'HOTFIX', 'HOTFIX_NUMBER', 'COMMIT', 'DEVELOPMENT', 'COMMIT'),
    ),
    ('ravendb_version', 'version'): (
        '[0-9]+\\.[0-9]+(?:\\.[0-9]+(?:\\.[0-9]+)?)?(?:-(?:(?:[aA][lL][pP][hH][aA]|[bB][eE][tT][aA]|[rR][cC])(?:[0-9]+)?(?:-[0-9]+)?|[pP][aA][tT][cC][hH]-[0-9]+|[hH][oO][tT][fF][iI][xX]|[nN][iI][gG][hH][tT][lL][yY]-[0-9]{8}-[0-9]{4}))?',
        '(?P<major>[0-9]+)\\.(?P<minor>[0-9]+)(?:\\.(?P<patch>[0-9]+)(?:\\.(?P<build>[0-9]+))?)?(?:-(?:(?P<PRERELEASE_STAGE>(?:[aA][lL][pP][hH][aA]|[bB][eE][tT][aA]|[rR][cC]))(?P<stage_number>[0-9]+)?(?:-(?P<stage_build>[0-9]+))?|(?P<PATCH_STAGE>[pP][aA][tT][cC][hH])-(?P<stage_build__2>[0-9]+)|(?P<HOTFIX_STAGE>[hH][oO][tT][fF][iI][xX])|[nN][iI][gG][hH][tT][lL][yY]-(?P<NIGHTLY_DATE>[0-9]{8})-(?P<NIGHTLY_TIME>[0-9]{4})))?',
        ('major', 'minor', 'patch', 'build', 'PRERELEASE_STAGE', 'stage_number', 'stage_build', 'PATCH_STAGE', 'stage_build', 'HOTFIX_STAGE', 'NIGHTLY_DATE', 'NIGHTLY_TIME'),
    ),
}
