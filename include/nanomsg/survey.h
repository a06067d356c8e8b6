/* nnrs — SURVEYOR/RESPONDENT: ask everyone, collect answers until a deadline. */
#ifndef SURVEY_H_INCLUDED
#define SURVEY_H_INCLUDED

#define NN_PROTO_SURVEY 6

#define NN_SURVEYOR (NN_PROTO_SURVEY * 16 + 2)
#define NN_RESPONDENT (NN_PROTO_SURVEY * 16 + 3)

/* Option of NN_SURVEYOR sockets: milliseconds a survey stays open. */
#define NN_SURVEYOR_DEADLINE 1

#endif
