/** The chat platforms the committee can work in; a member's key is `<platform>:<user id>`. */
export type Platform = 'slack' | 'teams';
